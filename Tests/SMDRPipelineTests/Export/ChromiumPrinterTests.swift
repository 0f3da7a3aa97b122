import Foundation
import SMDRCore
import SMDRPipeline
import SMDRReports
import SMDRTestSupport
import Testing

/// Statements printed to PDF by the real headless Chromium, at the paper their page asks for, the
/// same bytes twice when dated; and, with fake browsers, finding Chromium, the deadline and
/// Chromium's failures that exit 0.
@Suite struct ChromiumPrinterTests {
    // MARK: - Finding Chromium

    @Test func withoutChromiumTheMessageNamesThePackageAndTheSetting() throws {
        #expect(throws: ChromiumError(
            "--pdf needs Chromium: install the Debian package chromium (apt-get install chromium), or set SMDR_CHROMIUM to its path"
        )) {
            try ChromiumPrinter.locate(configured: nil, environmentPath: "")
        }
        let error = try #require(throws: ChromiumError.self) {
            try ChromiumPrinter.locate(configured: "/nonexistent/chromium", environmentPath: "")
        }
        #expect(error.message.contains("'/nonexistent/chromium'"))
        #expect(error.message.contains("apt-get install chromium"))
        #expect(error.message.contains("SMDR_CHROMIUM"))
    }

    @Test func findsTheConfiguredPathOrTheFirstCandidateOnThePath() async throws {
        try await withTemporaryDirectory { directory in
            let first = directory + "/first", second = directory + "/second"
            try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
            try fakeBrowser(at: first + "/chromium", executable: false)  // not executable: skipped
            try FileManager.default.createDirectory(atPath: first + "/chromium-browser", withIntermediateDirectories: true)  // a directory
            try fakeBrowser(at: first + "/google-chrome")
            try fakeBrowser(at: second + "/chromium")
            let path = "\(first)::\(second)"

            // The order of the names wins over the order of the path.
            #expect(try ChromiumPrinter.locate(configured: nil, environmentPath: path) == second + "/chromium")
            #expect(try ChromiumPrinter.locate(configured: nil, environmentPath: first) == first + "/google-chrome")
            #expect(try ChromiumPrinter.locate(configured: first + "/google-chrome", environmentPath: "") == first + "/google-chrome")
            #expect(try ChromiumPrinter.locate(configured: "google-chrome", environmentPath: path) == first + "/google-chrome")
            #expect(throws: ChromiumError.self) { try ChromiumPrinter.locate(configured: first + "/chromium", environmentPath: path) }
            #expect(throws: ChromiumError.self) { try ChromiumPrinter.locate(configured: first + "/chromium-browser", environmentPath: path) }
        }
    }

    // MARK: - Printing with Chromium

    @Test(.timeLimit(.minutes(2))) func printsAtThePaperSizeThePageAsksFor() async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            for (pageSize, width, height) in [("A4", 595, 842), ("letter", 612, 792)] {
                let html = "\(directory)/page-\(pageSize).html", pdf = "\(directory)/page-\(pageSize).pdf"
                try RenderedPages.write(RenderedPages.ownPage(pageSize: pageSize), to: html)
                try await printer.printPDF(htmlFile: html, to: pdf)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
                #expect(bytes.starts(with: Array("%PDF-".utf8)), "\(pageSize)")
                let size = try await RenderedPages.pdfPageSize(pdf)
                #expect(size.width == width && size.height == height, "\(pageSize): \(size)")
                #expect(size.pages == 1)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "page-A4.html", "page-A4.pdf", "page-letter.html", "page-letter.pdf",
            ])
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: Paper.allCases) func printsTheStatement(paper: Paper) async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            let html = "\(directory)/statement.html", pdf = "\(directory)/statement.pdf"
            try RenderedPages.write(StatementPage.html(RenderedPages.statement(paper: paper)), to: html)
            try await printer.printPDF(htmlFile: html, to: pdf)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
            let size = try await RenderedPages.pdfPageSize(pdf)
            #expect(size.pages >= 1)
        }
    }

    @Test(.timeLimit(.minutes(2))) func aDatedPrintIsTheSameBytesEveryTime() async throws {
        let printer = ChromiumPrinter(executable: try RenderedPages.chromium())
        try await withTemporaryDirectory { directory in
            let html = "\(directory)/page.html"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: html)
            let closedOn = LocalDate(year: 2024, month: 6, day: 3)
            try await printer.printPDF(htmlFile: html, to: "\(directory)/one.pdf", documentDate: closedOn)
            try await Task.sleep(for: .milliseconds(1100))  // a second later: an undated print would differ
            try await printer.printPDF(htmlFile: html, to: "\(directory)/two.pdf", documentDate: closedOn)
            let one = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/one.pdf"))
            let two = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/two.pdf"))
            #expect(one == two)
            let text = String(decoding: one.prefix(2048), as: UTF8.self)
            #expect(text.contains("/CreationDate (D:20240603000000+00'00')"))
            #expect(text.contains("/ModDate (D:20240603000000+00'00')"))
        }
    }

    // MARK: - Fake browsers

    @Test(.timeLimit(.minutes(1))) func aPrintPastItsTimeoutIsStoppedWithEverythingItStarted() async throws {
        try await withTemporaryDirectory { directory in
            // Records its own pid and its child's, then waits for a child that would sleep 30 s.
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                echo "$@" > '\(directory)/arguments'
                echo $$ > '\(directory)/browser.pid'
                sleep 30 &
                echo $! > '\(directory)/child.pid'
                wait
                """)
            let html = "\(directory)/page.html", pdf = "\(directory)/page.pdf"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: html)
            let printer = ChromiumPrinter(executable: browser, timeout: .seconds(1))

            let started = ContinuousClock.now
            let error = try await #require(throws: ChromiumError.self) {
                try await printer.printPDF(htmlFile: html, to: pdf)
            }
            let elapsed = ContinuousClock.now - started
            #expect(error.message.hasPrefix("Chromium did not finish printing \(html) within 1s and was stopped"))
            #expect(error.message.contains("SMDR_PDF_TIMEOUT"))
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(10), "\(elapsed)")

            for name in ["browser.pid", "child.pid"] {
                let text = try String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8)
                let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
                try await eventually(timeout: .seconds(5)) { RenderedPages.hasEnded(pid) }
            }
            // No PDF, no partial file, no profile left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [
                "arguments", "browser.pid", "child.pid", "chromium", "page.html",
            ])
            let arguments = try String(contentsOfFile: "\(directory)/arguments", encoding: .utf8)
            let profile = try #require(arguments.split(separator: " ").first { $0.hasPrefix("--user-data-dir=") })
            #expect(!FileManager.default.fileExists(atPath: String(profile.dropFirst("--user-data-dir=".count))))
        }
    }

    @Test(.timeLimit(.minutes(1))) func cancellingAPrintStopsTheBrowserAndEverythingItStarted() async throws {
        try await withTemporaryDirectory { directory in
            let browser = directory + "/chromium"
            try fakeBrowser(at: browser, script: """
                sleep 30 &
                echo $! > '\(directory)/child.pid.partial'
                mv '\(directory)/child.pid.partial' '\(directory)/child.pid'
                wait
                """)
            let html = "\(directory)/page.html"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: html)
            let printer = ChromiumPrinter(executable: browser, timeout: .seconds(30))

            let started = ContinuousClock.now
            let print = Task { try await printer.printPDF(htmlFile: html, to: "\(directory)/page.pdf") }
            try await eventually(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: "\(directory)/child.pid") }
            print.cancel()
            await #expect(throws: CancellationError.self) { try await print.value }
            #expect(ContinuousClock.now - started < .seconds(10))

            let text = try String(contentsOfFile: "\(directory)/child.pid", encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            try await eventually(timeout: .seconds(5)) { RenderedPages.hasEnded(pid) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["child.pid", "chromium", "page.html"])
        }
    }

    @Test func aBrowserThatPrintsNothingIsAFailureWithItsLastWords() async throws {
        try await withTemporaryDirectory { directory in
            let browser = directory + "/chromium"
            // Chromium's way: a complaint on stderr, exit status 0, no file.
            try fakeBrowser(at: browser, script: """
                printf '%s\\n' "$@" > '\(directory)/arguments'
                echo '[1:1:0101/000000.000000:ERROR:dbus/bus.cc:405] Failed to connect to the bus' >&2
                echo '[1:1:0101/000000.000000:ERROR:headless_command_handler.cc:403] Page load failed: net::ERR_FILE_NOT_FOUND' >&2
                exit 0
                """)
            let html = "\(directory)/a statement é.html", pdf = "\(directory)/out.pdf"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: html)
            try RenderedPages.write("previous", to: pdf)
            let printer = ChromiumPrinter(executable: browser)

            let error = try await #require(throws: ChromiumError.self) {
                try await printer.printPDF(htmlFile: html, to: pdf)
            }
            #expect(error.message == """
                Chromium wrote no PDF for \(html): \
                [1:1:0101/000000.000000:ERROR:headless_command_handler.cc:403] Page load failed: net::ERR_FILE_NOT_FOUND
                """)
            // The file there before is untouched.
            #expect(try String(contentsOfFile: pdf, encoding: .utf8) == "previous")

            let arguments = try String(contentsOfFile: "\(directory)/arguments", encoding: .utf8).split(separator: "\n").map(String.init)
            var expected = ["--headless"]
            if geteuid() == 0 { expected.append("--no-sandbox") }
            expected += ["--disable-gpu", "--no-pdf-header-footer"]
            #expect(Array(arguments.prefix(expected.count)) == expected)
            #expect(arguments.contains { $0.hasPrefix("--user-data-dir=") })
            #expect(arguments.contains("--print-to-pdf=\(pdf).partial-\(getpid())"))
            #expect(arguments.last == "file://\(directory)/a%20statement%20%C3%A9.html")
        }
    }

    @Test func aBrowserThatWritesSomethingElseOrFailsIsAFailure() async throws {
        try await withTemporaryDirectory { directory in
            let html = "\(directory)/page.html", pdf = "\(directory)/out.pdf"
            try RenderedPages.write(RenderedPages.ownPage(pageSize: "A4"), to: html)

            let writesHTML = directory + "/writes-html"
            try fakeBrowser(at: writesHTML, script: """
                for argument; do case "$argument" in --print-to-pdf=*) echo '<html>' > "${argument#--print-to-pdf=}";; esac; done
                """)
            let error = try await #require(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: writesHTML).printPDF(htmlFile: html, to: pdf)
            }
            #expect(error.message == "Chromium wrote something other than a PDF for \(html)")

            let fails = directory + "/fails"
            try fakeBrowser(at: fails, script: "echo 'cannot open display' >&2; exit 3")
            let failure = try await #require(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: fails).printPDF(htmlFile: html, to: pdf)
            }
            #expect(failure.message == "Chromium (\(fails)) failed with status 3 printing \(html): cannot open display")

            let missing = try await #require(throws: ChromiumError.self) {
                try await ChromiumPrinter(executable: fails).printPDF(htmlFile: directory + "/none.html", to: pdf)
            }
            #expect(missing.message == "cannot print \(directory)/none.html to PDF: it is not a readable file")
            #expect(!FileManager.default.fileExists(atPath: pdf))
        }
    }

    // MARK: - Document dates

    @Test func documentDatesAreSetInTheInfoDictionaryOnlyAtTheSameLength() throws {
        let original = """
            %PDF-1.4
            1 0 obj
            <</Title (x /CreationDate \\(D:20261130150801+00'00'\\))
            /CreationDate (D:20261130150801+01'00')
            /ModDate (D:20261130150802-05'30')>>
            endobj
            2 0 obj
            <</CreationDate (D:20261130150801+00'00')>>
            endobj
            trailer
            <</Size 3
            /Info 1 0 R>>
            %%EOF

            """
        let expected = """
            %PDF-1.4
            1 0 obj
            <</Title (x /CreationDate \\(D:20261130150801+00'00'\\))
            /CreationDate (D:20240603000000+00'00')
            /ModDate (D:20240603000000+00'00')>>
            endobj
            2 0 obj
            <</CreationDate (D:20261130150801+00'00')>>
            endobj
            trailer
            <</Size 3
            /Info 1 0 R>>
            %%EOF

            """
        var pdf = Array(original.utf8)
        #expect(ChromiumPrinter.setDocumentDates(of: &pdf, to: LocalDate(year: 2024, month: 6, day: 3)))
        #expect(String(decoding: pdf, as: UTF8.self) == expected)

        // A date of another shape is left alone, and said so.
        var odd = Array(original.replacingOccurrences(of: "(D:20261130150802-05'30')", with: "(D:2026)").utf8)
        let before = odd
        #expect(!ChromiumPrinter.setDocumentDates(of: &odd, to: LocalDate(year: 2024, month: 6, day: 3)))
        #expect(odd.count == before.count)
        #expect(String(decoding: odd, as: UTF8.self).contains("/ModDate (D:2026)"))
    }

    /// Writes an executable `/bin/sh` script (or a plain file when `executable` is false).
    ///
    /// Through a close-on-exec descriptor: a child another test forks meanwhile would otherwise
    /// inherit it open for writing, and running the script would fail with "Text file busy".
    private func fakeBrowser(at path: String, script: String = "exit 0", executable: Bool = true) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RenderedPages.Failure(description: "cannot create \(path): errno \(errno)") }
        defer { close(descriptor) }
        let bytes = Array("#!/bin/sh\n\(script)\n".utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fchmod(descriptor, executable ? 0o755 : 0o644) == 0 else {
            throw RenderedPages.Failure(description: "cannot write \(path): errno \(errno)")
        }
    }
}
