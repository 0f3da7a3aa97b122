import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// `/statements`: the list of client × month, each statement as `smdr statement --html` writes
/// it, and its PDF.
@Suite struct StatementTests {
    /// The firm of the statements, given to the CLI as flags and to the app as its settings.
    static let firmName = "Dee & Eve LLP"
    static let firmAddress = "1 Chancery Lane;London WC2A 1AA"

    static func settings(_ change: (inout WebSettings.Flags) -> Void = { _ in }) throws -> WebSettings {
        try WebHarness.settings { flags in
            flags.output.firmName = Self.firmName
            flags.output.firmAddress = Self.firmAddress
            change(&flags)
        }
    }

    @Test func theStatementPageIsTheBytesOfSmdrStatementHTML() async throws {
        try await RatingFirm.withContractFirm { firm in
            var expected: [String: [UInt8]] = [:]
            for client in ["ACME", "BETA"] {
                let file = firm.directory + "/statement-\(client).html"
                try await firm.succeed(
                    "statement", "--client", client, "--month", "2026-04", "--html", file, "--firm-name", Self.firmName,
                    "--firm-address", Self.firmAddress
                )
                expected[client] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
            }
            let files = expected
            try await WebHarness.with(firm.database, settings: try Self.settings()) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    for (id, bytes) in files.sorted(by: { $0.key < $1.key }) {
                        let page = try await browser.get("/statements/\(id)/2026-04")
                        #expect(page.status == .ok)
                        #expect(bytes.count > 1000)
                        #expect(Array(page.body.utf8) == bytes, "the web page differs from smdr statement --html for \(id)")
                        #expect(
                            page.headers[.contentSecurityPolicy]
                                == "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                        )
                        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                    }
                }
            }
        }
    }

    @Test func theListShowsEachClientsMonthOpenThenClosed() async throws {
        try await RatingFirm.withContractFirm { firm in
            try await WebHarness.with(firm.database, settings: try Self.settings()) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let open = try await browser.get("/statements")
                    #expect(open.status == .ok)
                    for id in ["ACME", "BETA"] {
                        #expect(open.body.contains("<tr data-client=\"\(id)\" data-month=\"2026-04\">"), "\(open.body)")
                        #expect(open.body.contains("href=\"/statements/\(id)/2026-04\""))
                        #expect(open.body.contains("href=\"/statements/\(id)/2026-04.pdf\""))
                    }
                    #expect(open.body.contains("open (draft)"))
                    #expect(!open.body.contains("closed on"))
                    // ACME before BETA within the month.
                    let acme = try #require(open.body.range(of: "data-client=\"ACME\""))
                    let beta = try #require(open.body.range(of: "data-client=\"BETA\""))
                    #expect(acme.lowerBound < beta.lowerBound)

                    try await firm.succeed("period", "close", "2026-04")
                    let closed = try await browser.get("/statements")
                    #expect(closed.body.contains("<td class=\"state closed\">closed on 20"), "\(closed.body)")
                    #expect(!closed.body.contains("open (draft)"))

                    let filtered = try await browser.get("/statements?client=BETA")
                    #expect(filtered.body.contains("data-client=\"BETA\""))
                    #expect(!filtered.body.contains("data-client=\"ACME\""))
                    #expect(filtered.body.contains("name=\"client\" value=\"BETA\""))
                    let none = try await browser.get("/statements?client=NOPE")
                    #expect(none.status == .ok)
                    #expect(none.body.contains("No statements for client NOPE"))
                }
            }
        }
    }

    @Test func theListPagesByMonthThenClient() async throws {
        try await RatingFirm.withContractFirm { firm in
            try await WebHarness.with(firm.database, settings: try Self.settings { $0.pageSize = "1" }) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    let first = try await browser.get("/statements")
                    #expect(first.body.contains("data-client=\"ACME\""))
                    #expect(!first.body.contains("data-client=\"BETA\""))
                    let older = try #require(Self.href(of: "older", in: first.body))
                    #expect(older == "/statements?after_month=2026-04&after_client=ACME")
                    let second = try await browser.get(older)
                    #expect(second.body.contains("data-client=\"BETA\""))
                    #expect(!second.body.contains("data-client=\"ACME\""))
                    #expect(Self.href(of: "older", in: second.body) == nil)
                    #expect(Self.href(of: "newest", in: second.body) == "/statements")
                }
            }
        }
    }

    @Test func anUnknownClientIs404AndABadMonth400() async throws {
        try await RatingFirm.withContractFirm { firm in
            try await WebHarness.with(firm.database, settings: try Self.settings()) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let unknown = try await browser.get("/statements/NOPE/2026-04")
                    #expect(unknown.status == .notFound)
                    #expect(unknown.body.contains("No client &#39;NOPE&#39; is registered."))
                    for month in ["2026-13", "april", "2026-4", "2026-04-01"] {
                        let bad = try await browser.get("/statements/ACME/\(month)")
                        #expect(bad.status == .badRequest, "\(month)")
                    }
                    let badPDF = try await browser.get("/statements/ACME/2026-00.pdf")
                    #expect(badPDF.status == .badRequest)
                }
            }
        }
    }

    @Test func thePDFIsPrintedWithChromium() async throws {
        try await RatingFirm.withContractFirm { firm in
            try await WebHarness.with(firm.database, settings: try Self.settings()) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let response = try await client.execute(
                        uri: "/statements/ACME/2026-04.pdf", method: .get, headers: Self.cookieHeader(browser), body: nil
                    )
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/pdf")
                    #expect(response.headers[.contentDisposition] == "attachment; filename=\"statement-ACME-2026-04.pdf\"")
                    #expect(Array(response.body.readableBytesView.prefix(5)) == Array("%PDF-".utf8))
                    #expect(response.body.readableBytes > 1000)
                }
            }
        }
    }

    @Test func withoutChromiumThePDFIs503AndTheListStillLinksIt() async throws {
        try await RatingFirm.withContractFirm { firm in
            let settings = try Self.settings { $0.output.chromium = "/nonexistent/chromium" }
            try await WebHarness.with(firm.database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let pdf = try await browser.get("/statements/ACME/2026-04.pdf")
                    #expect(pdf.status == .serviceUnavailable)
                    // A generic message: the path and the packages to install go to the log only.
                    #expect(pdf.body.contains("PDF printing is not available on this server; ask the administrator."))
                    #expect(!pdf.body.contains("nonexistent"))
                    #expect(!pdf.body.lowercased().contains("chromium"))
                    let list = try await browser.get("/statements")
                    #expect(list.body.contains("href=\"/statements/ACME/2026-04.pdf\""))
                    // The page itself still works.
                    #expect(try await browser.get("/statements/ACME/2026-04").status == .ok)
                }
            }
        }
    }

    /// Review fix 6: a Chromium that fails is reported to the viewer as "printing failed", its
    /// detail (command, exit status, output) left to the log.
    @Test func aFailingChromiumIsAGeneric503() async throws {
        try await RatingFirm.withContractFirm { firm in
            let settings = try Self.settings { $0.output.chromium = "/bin/false" }
            try await WebHarness.with(firm.database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let pdf = try await browser.get("/statements/ACME/2026-04.pdf")
                    #expect(pdf.status == .serviceUnavailable)
                    #expect(pdf.body.contains("Printing failed; the server&#39;s log says why."))
                    #expect(!pdf.body.contains("/bin/false"))
                    #expect(!pdf.body.lowercased().contains("chromium"))
                }
            }
        }
    }

    @Test func hostileClientIDsAndNamesAreEscapedInTheList() async throws {
        try await RatingFirm.with { firm in
            // Totals as the rater writes them, for clients whose ID and name came from outside.
            let connection = try firm.connect()
            try connection.execute(
                """
                INSERT INTO smdr.client (client_id, name) VALUES
                    ('javascript:alert(1)', '<script>alert(1)</script>'), ('A"B', 'Say "hi" <b>now</b>')
                """
            )
            let run = try #require(
                try connection.execute(
                    "INSERT INTO smdr.rating_run (kind, period_from, period_to, finished_at) VALUES ('rate', '2026-03-01', '2026-03-31', now()) RETURNING run_id"
                )[0][0].int
            )
            try connection.execute(
                "INSERT INTO smdr.rating_day (site_id, charge_date, rating_run, digest) SELECT id, DATE '2026-03-05', $1, '\\x00' FROM smdr.site WHERE name = 'demo'",
                [.int(run)]
            )
            try connection.execute(
                """
                INSERT INTO smdr.rating_day_total (rating_run, site_id, charge_date, client_id, matter_id, currency, calls, billed_seconds, amount)
                SELECT $1, id, DATE '2026-03-05', c.client_id, NULL, 'GBP', 2, 720, 80.00
                FROM smdr.site, (VALUES ('javascript:alert(1)'), ('A"B')) AS c (client_id) WHERE name = 'demo'
                """,
                [.int(run)]
            )
            try await WebHarness.with(firm.database, settings: try Self.settings()) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let page = try await browser.get("/statements")
                    #expect(page.status == .ok)
                    #expect(!page.body.contains("<script>alert(1)</script>"))
                    #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                    #expect(page.body.contains("Say &quot;hi&quot; &lt;b&gt;now&lt;/b&gt;"))
                    #expect(page.body.contains("data-client=\"A&quot;B\""))
                    #expect(!page.body.contains("href=\"javascript:"))
                    #expect(page.body.contains("href=\"/statements/javascript%3Aalert%281%29/2026-03\""))
                    #expect(page.body.contains("href=\"/statements/A%22B/2026-03.pdf\""))
                    #expect(page.body.contains("GBP 80.00"))
                    // The filter echoes what was typed, escaped.
                    let filtered = try await browser.get("/statements?client=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
                    #expect(!filtered.body.contains("<script>alert(1)</script>"))
                    #expect(filtered.body.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
                    // The hostile ID round-trips through its link.
                    let statement = try await browser.get("/statements/A%22B/2026-03")
                    #expect(statement.status == .ok)
                    #expect(!statement.body.contains("<b>now</b>"))
                }
            }
        }
    }

    @Test func thePrintGateRefusesBeyondItsLimitAndFreesItsPlace() async throws {
        let gate = PrintGate(limit: 1)
        let inner = try await gate.withPlace { try await gate.withPlace { 2 } }
        #expect(inner == .some(nil))  // the one place was taken
        #expect(try await gate.withPlace { 3 } == 3)  // and given back
        await #expect(throws: CancellationError.self) { try await gate.withPlace { throw CancellationError() } }
        #expect(try await gate.withPlace { 4 } == 4)  // given back after a failure too
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    for path in ["/statements", "/statements/ACME/2026-04", "/statements/ACME/2026-04.pdf"] {
                        let page = try await browser.get(path)
                        #expect(page.status == .seeOther, "\(path)")
                        #expect(page.location?.hasPrefix("/signin?next=") == true, "\(path)")
                    }
                }
            }
        }
    }

    /// The `href` of the link `<a class="NAME" …>`, unescaped (`&amp;` → `&`).
    static func href(of name: String, in body: String) -> String? {
        guard let start = body.range(of: "<a class=\"\(name)\"") else { return nil }
        let rest = body[start.upperBound...].prefix { $0 != ">" }
        guard let hrefStart = rest.range(of: "href=\"") else { return nil }
        return rest[hrefStart.upperBound...].prefix { $0 != "\"" }.replacingOccurrences(of: "&amp;", with: "&")
    }

    static func cookieHeader(_ browser: WebBrowser) -> HTTPFields {
        var headers = HTTPFields()
        headers[.cookie] = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        return headers
    }
}
