import Foundation
import SMDRCore
import SMDRPipeline
import SMDRRating
import SMDRReports
import SMDRTestSupport
import Testing

/// What the Chromium tests print and render: a small statement and report (their real writers),
/// pages of the tests' own, and the tools around them (Chromium, pdfinfo, the render check).
///
/// A missing Chromium or tool is a failure that says what to install (`make test` installs them
/// through `make deps`), never a skipped test.
enum RenderedPages {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var renderCheckScript: String { Self.root.appendingPathComponent("scripts/render-check.py").path }

    /// The names a caller may give over SIP that must neither run nor break a page.
    static let hostileNames = ["=HYPERLINK(\"x\")", "<script>alert(1)</script>", "|[]", "'", "👩‍⚖️", "a\r\nb\tc\"d"]

    /// The Chromium the tests print with: `SMDR_CHROMIUM` or the first one on `PATH`.
    static func chromium() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        do {
            return try ChromiumPrinter.locate(configured: environment["SMDR_CHROMIUM"], environmentPath: environment["PATH"] ?? "")
        } catch {
            throw Failure(description: "\(error) (`make test` installs it with `make deps`)")
        }
    }

    /// A charge of `seconds` billed at 250.00 GBP an hour, with one call from `callerName`.
    static func charge(id: Int64, callerName: String, seconds: Int, day: Int) -> ExportCharge {
        let start = LocalDateTime(year: 2024, month: 5, day: day, hour: 9, minute: 30)
        let hours = ExactDecimal(units: Int64(seconds) * 10_000 / 3600, scale: 4)
        return ExportCharge(
            chargeID: id, ratingRun: 1, kind: .fee, site: "london", clientID: "ACME", clientName: "Acme <b>Ltd</b> & Co",
            matterID: "M-1", matterName: "Merger \"Alpha\"", code: "1234", timekeeperID: "TK1", timekeeperName: "Ann Lee",
            timekeeperClassification: "PT", chargeDate: start.date, scope: "call", callCount: 1, legCount: 1,
            rawSeconds: seconds, billedSeconds: seconds, billedHours: hours,
            hourlyRate: ExactDecimal(units: 25_000, scale: 2), amount: ExactDecimal(units: Int64(seconds) * 25_000 / 3600, scale: 2),
            currency: "GBP", planID: "STD", rule: "code", trace: "\(seconds) s at 250.00/h", blocked: false,
            firstStartLocal: start, closed: true,
            calls: [
                ExportCall(
                    callID: Int(id), start: start, direction: "I", externalNumber: "02071234567", externalE164: "+442071234567",
                    externalName: callerName, seconds: seconds
                )
            ]
        )
    }

    static let firm = Firm(name: "Lee & Partners <LLP>", address: ["1 High St", "London"], lawFirmID: "GB123")

    /// May 2024 of client ACME, one charge per hostile caller name (360 s each).
    static func statement(paper: Paper) -> StatementInput {
        let charges = Self.hostileNames.enumerated().map { index, name in
            Self.charge(id: Int64(index + 1), callerName: name, seconds: 360, day: index + 1)
        }
        return StatementInput(
            firm: Self.firm, clientID: "ACME", clientName: "Acme <b>Ltd</b> & Co", month: LocalDate(year: 2024, month: 5, day: 1),
            closedOn: LocalDate(year: 2024, month: 6, day: 3), charges: charges, paper: paper
        )
    }

    /// 1–3 May 2024: one client, matter, timekeeper, three days.
    static func report() -> BillingReport {
        func line(_ key: String, _ label: String, calls: Int) -> BillingReport.Line {
            BillingReport.Line(
                key: key, label: label, currency: "GBP", charges: calls, calls: calls, rawSeconds: calls * 360,
                billedHours: ExactDecimal(units: Int64(calls) * 1000, scale: 4), fees: ExactDecimal(units: Int64(calls) * 2500, scale: 2),
                expenses: ExactDecimal(units: 0, scale: 2)
            )
        }
        return BillingReport(
            firm: Self.firm, from: LocalDate(year: 2024, month: 5, day: 1), to: LocalDate(year: 2024, month: 5, day: 3),
            clients: [line("ACME", "Acme <b>Ltd</b> & Co", calls: 3)],
            matters: [line("ACME/M-1", "Acme <b>Ltd</b> & Co — Merger \"Alpha\"", calls: 3)],
            timekeepers: [line("TK1", "<script>alert(1)</script>", calls: 3)],
            days: [line("2024-05-01", "2024-05-01", calls: 1), line("2024-05-02", "2024-05-02", calls: 1), line("2024-05-03", "2024-05-03", calls: 1)],
            reviewQueueCalls: 2, reviewQueueSeconds: 125, unratedLegs: 1, unratedSeconds: 60
        )
    }

    /// A page of the tests' own with text, a table, an inline SVG chart and the hostile names
    /// escaped, laid out for `pageSize` (`A4`, `letter`) by `@page`, plus `extra` in the body.
    static func ownPage(pageSize: String, extra: String = "") -> String {
        let rows = Self.hostileNames.map { "<tr><td>\(escape($0))</td><td>0.1000</td></tr>" }.joined()
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Check</title>
            <style>@page { size: \(pageSize); margin: 15mm } body { font-family: "DejaVu Sans", sans-serif }</style></head>
            <body><h1>Statement check</h1><table>\(rows)</table>
            <svg width="200" height="80" role="img"><rect x="0" y="10" width="150" height="20" fill="#2a6"/></svg>
            \(extra)</body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func write(_ text: String, to path: String) throws {
        try Self.write(Array(text.utf8), to: path)
    }

    /// `pdfinfo`'s page size in points, rounded (A4 594.96 × 841.92 → 595 × 842), and page count.
    static func pdfPageSize(_ path: String) async throws -> (width: Int, height: Int, pages: Int) {
        let result = try await TestProcess.run("/usr/bin/env", ["pdfinfo", path], timeout: .seconds(30))
        guard result.status == 0 else {
            throw Failure(description: "pdfinfo \(path) failed (\(result.status); apt-get install poppler-utils): \(result.standardError)")
        }
        var size: (Int, Int)?
        var pages: Int?
        for line in result.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Page size:"), fields.count >= 5, let width = Double(fields[2]), let height = Double(fields[4]) {
                size = (Int(width.rounded()), Int(height.rounded()))
            } else if line.hasPrefix("Pages:"), fields.count >= 2 {
                pages = Int(fields[1])
            }
        }
        guard let size, let pages else { throw Failure(description: "pdfinfo \(path) gave no page size:\n\(result.standardOutput)") }
        return (size.0, size.1, pages)
    }

    /// Runs `scripts/render-check.py` with the system Python (which has selenium).
    static func renderCheck(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await TestProcess.run("/usr/bin/python3", [Self.renderCheckScript] + arguments, timeout: .seconds(120))
        return (result.status, result.standardOutput + result.standardError)
    }

    /// Whether process `pid` has ended: no such process, or a zombie nobody reaped yet.
    static func hasEnded(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // pid (comm) STATE …: the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
