import Foundation
import SMDRReports
import SMDRTestSupport
import Testing

/// `scripts/render-check.py` against the real statement and report pages, and against pages made
/// to fail it: a console error, an asset from outside the page, an empty body.
@Suite struct RenderCheckTests {
    @Test(.timeLimit(.minutes(2))) func theStatementAndTheReportRender() async throws {
        _ = try RenderedPages.chromium()
        try await withTemporaryDirectory { directory in
            let statement = "\(directory)/statement.html", report = "\(directory)/report.html"
            try RenderedPages.write(StatementPage.html(RenderedPages.statement(paper: .a4)), to: statement)
            try RenderedPages.write(ReportPage.html(RenderedPages.report(), paper: .letter), to: report)

            let result = try await RenderedPages.renderCheck(["\(directory)/png", statement, report])
            #expect(result.status == 0, "\(result.output)")
            for name in ["statement", "report"] {
                try expectScreenshot("\(directory)/png/\(name).png")
            }
        }
    }

    @Test(.timeLimit(.minutes(2))) func aPageOfItsOwnWithTheHostileNamesPasses() async throws {
        _ = try RenderedPages.chromium()
        try await withTemporaryDirectory { directory in
            let page = "\(directory)/own page.html"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: page)
            let result = try await RenderedPages.renderCheck([directory, page])
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.hasPrefix("render-check: \(page): ok ("))
            try expectScreenshot("\(directory)/own page.png")
        }
    }

    @Test(.timeLimit(.minutes(2))) func aConsoleErrorAnOutsideAssetOrAnEmptyBodyFails() async throws {
        _ = try RenderedPages.chromium()
        try await withTemporaryDirectory { directory in
            let cases = [
                ("console-error", RenderedPages.ownPage(pageSize: "A4", extra: "<script>console.error(\"x\")</script>"), "console error"),
                ("outside-asset", RenderedPages.ownPage(pageSize: "A4", extra: "<img src=\"http://127.0.0.1:9/x.png\" alt=\"\">"),
                 "requested an external resource: http://127.0.0.1:9/x.png"),
                ("empty", "<!doctype html><html><head><meta charset=\"utf-8\"><title>Empty</title></head><body></body></html>\n",
                 "the body has no text"),
            ]
            for (name, html, reason) in cases {
                let page = "\(directory)/\(name).html"
                try RenderedPages.write(html, to: page)
                let result = try await RenderedPages.renderCheck(["\(directory)/png", page])
                #expect(result.status == 1, "\(name): \(result.output)")
                #expect(result.output.hasPrefix("render-check: \(page): FAILED: "), "\(name): \(result.output)")
                #expect(result.output.contains(reason), "\(name): \(result.output)")
            }
            // One bad page fails the run, the good one is still checked and said ok.
            let good = "\(directory)/good.html"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: good)
            let result = try await RenderedPages.renderCheck(["\(directory)/png", good, "\(directory)/console-error.html"])
            #expect(result.status == 1, "\(result.output)")
            #expect(result.output.contains("render-check: \(good): ok ("), "\(result.output)")
        }
    }

    @Test func withoutPagesItSaysHowToUseIt() async throws {
        let result = try await RenderedPages.renderCheck(["/tmp"])
        #expect(result.status == 2)
        #expect(result.output.contains("usage: /usr/bin/python3 scripts/render-check.py OUT_DIR FILE.html..."))
        let missing = try await RenderedPages.renderCheck(["/tmp", "/nonexistent/page.html"])
        #expect(missing.status == 2)
        #expect(missing.output.contains("/nonexistent/page.html: not a file"))
    }

    /// A PNG (its signature) of at least 100 × 100 pixels (IHDR) and more than a few bytes.
    private func expectScreenshot(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), sourceLocation: sourceLocation)
        #expect(png.count > 1000, "\(path): \(png.count) bytes", sourceLocation: sourceLocation)
        guard png.count >= 24 else { return }
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width >= 100 && height >= 100, "\(path): \(width)x\(height)", sourceLocation: sourceLocation)
    }
}
