import Foundation
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import Testing

/// Issue 12 §4 end to end: the golden firm (`Fixtures/golden`, every charge worked out by hand in
/// its README) through the real binary and database — `smdr register import` → `ingest` → `rate`
/// → `smdr export`, `smdr statement`, `smdr report` — compared byte for byte with the reviewed
/// goldens, and checked, whatever the goldens say, for what must always hold: hostile caller names
/// neither run nor break a format, totals equal the charges', a closed month's statement is
/// reproducible, bad arguments exit 2 and a missing Chromium exits 4.
@Suite(.timeLimit(.minutes(10)))
struct GoldenOutputTests {
    // MARK: The fixture

    /// `capture.smdr` is the README's table: the lines ``GoldenFirm/capture`` builds.
    @Test func theCaptureIsTheREADMEs() throws {
        let lines = try #require(Fixtures.lines("golden/capture.smdr"))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == GoldenFirm.capture)
    }

    /// The charges of `smdr.charges` are those of the README, to the cent (checked with the rater
    /// alone, so a wrong golden cannot come from a wrong fixture).
    @Test func theFirmBillsAsWorkedOutByHand() async throws {
        try await GoldenFirm.with { firm in
            let connection = try firm.firm.connect()
            #expect(try RatingFirm.fees(connection, client: "ACME") == [
                // 1200002: 300 s → 360 s = 0.1 h × 333.33 = 33.333 → 33.33.
                "TK1 2026-04-01 leg 1/1 300→360 s 0.1 h × 333.33 = 33.33 GBP ACMEP code",
                // 1200001: 420 s up to 720 s = 0.2 h × 333.33 = 66.666 → 66.67.
                "TK1 2026-04-01 leg 1/1 420→720 s 0.2 h × 333.33 = 66.67 GBP ACMEP number",
                // 1200004: the matter's USD plan, 1000 s up to 1080 s = 0.3 h × 400.00 = 120.00.
                "TK2 2026-04-02 leg 1/1 1000→1080 s 0.3 h × 400 = 120.00 USD USDP code",
                // 1200009: 3000 s up to 3240 s = 0.9 h × 333.33 = 299.997 → 300.00.
                "TK2 2026-04-07 leg 1/1 3000→3240 s 0.9 h × 333.33 = 300.00 GBP ACMEP number",
                // 1200010: 100 s, past the 30 s grace, up to 360 s = 33.33.
                "TK1 2026-04-08 leg 1/1 100→360 s 0.1 h × 333.33 = 33.33 GBP ACMEP code",
            ])
            // 1200005 + 1200006: 200 + 250 = 450 s, 450 / 360 = 1.25 → nearest 1 = 0.1 h × 200.00 = 20.00 (one charge, two calls).
            #expect(try RatingFirm.fees(connection, client: "BETA") == [
                "TK2 2026-04-03 client_day 2/2 450→360 s 0.1 h × 200 = 20.00 GBP DAYP code"
            ])
            // 1200002's Advice of Charge: 1.25 × 1.10 = 1.375 → 1.38.
            #expect(try RatingFirm.expenses(connection, client: "ACME") == ["TK1 2026-04-01 1.38 GBP ACMEP"])
            // 1200003: 25 s below the 30 s grace: kept at 0.00.
            #expect(
                try firm.strings("SELECT client_id || ' ' || raw_seconds || ' ' || amount FROM smdr.charges WHERE billed_seconds = 0 AND kind = 'fee'")
                    == ["ACME 25 0.00"]
            )
            #expect(try firm.strings("SELECT count(*) FROM smdr.charges") == ["8"])
            #expect(try firm.strings("SELECT call_id || ' ' || reason FROM smdr.unassigned_calls") == ["1200007 no match"])
            #expect(try firm.strings("SELECT call_id || ' ' || client_id FROM smdr.unrated_legs") == ["1200008 GAMMA"])
            // The names reach the contract view as captured.
            #expect(
                try firm.strings("SELECT call_id || ' ' || external_name FROM smdr.usage_report ORDER BY call_id")
                    == GoldenFirm.callerNames.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            )
            // The README's totals: ACME 66.67 + 33.33 + 1.38 + 0.00 + 300.00 + 33.33 = 434.71 GBP and 120.00 USD.
            #expect(try Self.clientTotals(firm) == ["ACME GBP 434.71", "ACME USD 120.00", "BETA GBP 20.00"])
        }
    }

    // MARK: The goldens

    /// Each export format and each client's statement, byte for byte (see `Fixtures/golden/README.md`
    /// for what each must show, and for `SMDR_UPDATE_GOLDEN=1`).
    @Test func outputsAreTheReviewedGoldens() async throws {
        try await GoldenFirm.with { firm in
            for (format, name) in [("csv", "export.csv"), ("jsonl", "export.jsonl"), ("ledes1998b", "export.ledes1998b.txt")] {
                let export = try await firm.export(format)
                GoldenFile.check(export.bytes, name)
            }
            // GAMMA has calls but no charges: a statement saying so.
            for client in ["ACME", "BETA", "GAMMA"] {
                let page = try await firm.statement(client)
                GoldenFile.check(page, "statement-\(client)-2026-04.html")
            }
        }
    }

    // MARK: What holds whatever the goldens say

    /// CSV: every caller name is there, with a `'` in front exactly when it starts like a formula,
    /// and no text cell starts like one; every row as wide as the header.
    @Test func theCSVRunsNoFormula() async throws {
        try await GoldenFirm.with { firm in
            let (bytes, standardError) = try await firm.export("csv")
            #expect(standardError.contains("exported 8 charges"), "\(standardError)")
            let records = try CSVReader.records(bytes)
            let header = try #require(records.first).fields
            #expect(records.count == 1 + 8)
            for record in records { #expect(record.fields.count == header.count, "line \(record.line): \(record.fields)") }
            let callIDs = try #require(header.firstIndex(of: "call_ids"), "no call_ids in \(header)")
            let names = try #require(header.firstIndex(of: "external_names"), "no external_names in \(header)")

            var covered: Set<Int> = []
            for record in records.dropFirst() {
                let ids = record.fields[callIDs].components(separatedBy: "; ").compactMap { Int($0) }
                covered.formUnion(ids)
                let joined = ids.map { GoldenFirm.callerNames[$0] ?? "?" }.joined(separator: "; ")
                let expected = Self.startsLikeAFormula(joined) ? "'" + joined : joined
                #expect(record.fields[names] == expected, "line \(record.line)")
                for field in record.fields where Self.startsLikeAFormula(field) && !Self.isNumber(field) {
                    Issue.record("line \(record.line): a cell starts like a formula: \(field.debugDescription)")
                }
            }
            // Every billed call, so every hostile name (1200007 is unassigned, 1200008 unrated).
            #expect(covered == Set(GoldenFirm.callerNames.keys).subtracting([1_200_007, 1_200_008]))
            #expect(records.contains { $0.fields[names] == #"'=HYPERLINK("x")"# })
            #expect(records.contains { $0.fields[names] == #"👩‍⚖️; "quoted""# })
        }
    }

    /// JSON lines: every line parses, gives back the exact caller names, and the amounts as strings
    /// equal to `smdr.charges.amount::text`.
    @Test func theJSONLinesGiveBackExactNamesAndAmounts() async throws {
        try await GoldenFirm.with { firm in
            let amounts = try Self.pairs(firm, "SELECT charge_id || ' ' || amount::text FROM smdr.charges")
            let bytes = try await firm.export("jsonl").bytes
            #expect(bytes.last == UInt8(ascii: "\n"))
            let lines = bytes.split(separator: UInt8(ascii: "\n"))
            #expect(lines.count == 8)
            var charges: [String] = []
            var names: [Int: String] = [:]
            for line in lines {
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], "not an object: \(String(decoding: line, as: UTF8.self))"
                )
                let id = try #require((object["charge_id"] as? NSNumber)?.int64Value, "\(object)")
                charges.append(String(id))
                #expect(object["amount"] as? String == amounts[String(id)], "charge \(id): \(String(describing: object["amount"]))")
                #expect(object["billed_hours"] is String, "charge \(id): billed_hours not a string")
                #expect(object["trace"] is String, "charge \(id): no trace")
                // `calls` is the count, as in smdr.charges; the calls themselves are `call_details`.
                let calls = try #require(object["call_details"] as? [[String: Any]], "charge \(id): no call_details")
                for call in calls {
                    let callID = try #require((call["call_id"] as? NSNumber)?.intValue)
                    names[callID] = try #require(call["external_name"] as? String)
                }
            }
            #expect(charges.sorted() == amounts.keys.sorted())
            #expect(names == GoldenFirm.callerNames.filter { ![1_200_007, 1_200_008].contains($0.key) })
        }
    }

    /// LEDES 1998B: valid to the letter (the strict validator written from the published field
    /// list), one invoice per client, matter and currency whose INVOICE_TOTAL is the SQL sum.
    @Test func theLEDESFileIsValidAndItsTotalsAreTheCharges() async throws {
        try await GoldenFirm.with { firm in
            let (bytes, standardError) = try await firm.export("ledes1998b")
            #expect(standardError.contains("in 4 invoices"), "\(standardError)")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(LEDES1998BValidator.problems(in: text) == [])

            // LEDES lines end in CRLF, which Swift reads as one Character: split on the scalars.
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { Substring($0) }
            try #require(lines.count > 2)
            func fields(_ line: Substring) -> [Substring] {
                (line.hasSuffix("[]") ? line.dropLast(2) : line).split(separator: "|", omittingEmptySubsequences: false)
            }
            let header = fields(lines[1])
            let number = try #require(header.firstIndex(of: "INVOICE_NUMBER"))
            let client = try #require(header.firstIndex(of: "CLIENT_ID"))
            let matter = try #require(header.firstIndex(of: "LAW_FIRM_MATTER_ID"))
            let total = try #require(header.firstIndex(of: "INVOICE_TOTAL"))
            var invoices: [Substring: String] = [:]
            for line in lines.dropFirst(2) {
                let values = fields(line)
                guard values.count == header.count else { continue }  // the validator said so already
                invoices[values[number]] = "\(values[client]) \(values[matter]) \(values[total])"
            }
            // LEDES has no currency field: an invoice is one client, matter (the client's id when
            // none) and currency. Fees billed at 0 s are not written, and add 0.00 anyway.
            let sums = try firm.strings(
                """
                SELECT client_id || ' ' || coalesce(matter_id, client_id) || ' ' || sum(amount)
                FROM smdr.charges WHERE NOT (kind = 'fee' AND billed_seconds = 0)
                GROUP BY client_id, matter_id, currency ORDER BY 1
                """
            )
            #expect(invoices.values.sorted() == sums)
            // By hand: 66.67 + 33.33 + 1.38 + 300.00; 33.33 (the 0 s fee left out); 120.00 USD; 20.00.
            #expect(sums == ["ACME ACME 33.33", "ACME ACME-001 401.38", "ACME ACME-002 120.00", "BETA BETA-001 20.00"])
        }
    }

    /// The statement: names escaped (no `<script` anywhere, the escaped text shown), and each
    /// per-currency total of `smdr.client_statement` (its client_total lines: fees and expenses)
    /// on the page — ACME 434.71 GBP and 120.00 USD, BETA 20.00 GBP.
    @Test func theStatementEscapesNamesAndShowsTheTotals() async throws {
        try await GoldenFirm.with { firm in
            for client in ["ACME", "BETA"] {
                let page = String(decoding: try await firm.statement(client), as: UTF8.self)
                #expect(!page.lowercased().contains("<script"), "\(client)")
                #expect(page.contains("DRAFT"), "\(client): April is open")
                let totals = try firm.strings(
                    "SELECT currency || ' ' || amount FROM smdr.client_statement WHERE client_id = $1 AND line_type = 'client_total'",
                    [.text(client)]
                )
                #expect(!totals.isEmpty)
                for line in totals {
                    let parts = line.split(separator: " ")
                    #expect(page.contains(String(parts[1])) && page.contains(String(parts[0])), "\(client): no \(line) on the page")
                }
            }
            let acme = String(decoding: try await firm.statement("ACME"), as: UTF8.self)
            #expect(acme.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            for name in ["HYPERLINK(", "-2+3", "|[]", "📞"] { #expect(acme.contains(name), "ACME: \(name) not shown") }
            let beta = String(decoding: try await firm.statement("BETA"), as: UTF8.self)
            #expect(beta.contains("Beta &amp; Sons") && !beta.contains("Beta & Sons"))
            #expect(beta.contains("👩‍⚖️") && beta.contains("quoted"))
        }
    }

    /// A closed month: two statements are the same bytes, and the page is the open month's apart
    /// from the draft banner (now the closed line).
    @Test func aClosedMonthsStatementIsReproducible() async throws {
        try await GoldenFirm.with { firm in
            let open = String(decoding: try await firm.statement("ACME", name: "open.html"), as: UTF8.self)
            try await firm.succeed("period", "close", "2026-04")
            let first = try await firm.statement("ACME", name: "closed-1.html")
            let second = try await firm.statement("ACME", name: "closed-2.html")
            #expect(first == second)
            let closed = String(decoding: first, as: UTF8.self)
            #expect(closed.contains("Closed"))
            #expect(open.contains("DRAFT") && !closed.contains("DRAFT"))
            let hunks = LineDiff.hunks(open, closed)
            #expect(!hunks.isEmpty)
            for hunk in hunks {
                let status = hunk.removed.contains { $0.lowercased().contains("draft") } || hunk.added.contains { $0.contains("Closed") }
                #expect(status, "a difference that is not the month's status:\n\(hunk)")
            }
        }
    }

    // MARK: Filters and bad arguments

    @Test func filtersGiveOnlyTheirChargesAndBadArgumentsExit2() async throws {
        try await GoldenFirm.with { firm in
            // Without --output: the same bytes on standard output.
            let file = try await firm.export("csv").bytes
            let standardOutput = try await firm.succeed(["export", "--format", "csv"] + GoldenFirm.exportPeriod + GoldenFirm.firmFlags)
            #expect(standardOutput.standardOutput == String(decoding: file, as: UTF8.self))

            func chargeIDs(_ filter: [String]) async throws -> [String] {
                let records = try CSVReader.records(try await firm.export("csv", filter, name: "filtered-\(filter.count).csv").bytes)
                let column = try #require(records.first?.fields.firstIndex(of: "charge_id"))
                return records.dropFirst().map { $0.fields[column] }.sorted()
            }
            let acme = try firm.strings("SELECT charge_id::text FROM smdr.charges WHERE client_id = 'ACME'").sorted()
            #expect(acme.count == 7)
            let acmeExported = try await chargeIDs(["--client", "ACME"])
            #expect(acmeExported == acme)
            let supply = try firm.strings("SELECT charge_id::text FROM smdr.charges WHERE client_id = 'ACME' AND matter_id = 'ACME-001'")
            #expect(supply.count == 4)  // 1200001, 1200002 and its expense, 1200009
            let supplyExported = try await chargeIDs(["--client", "ACME", "--matter", "ACME-001"])
            #expect(supplyExported == supply.sorted())

            // Bad flags and values: exit 2, saying what is wrong; nothing written.
            let output = firm.path("never.csv")
            let period = ["--from", "2026-04-01", "--to", "2026-04-30", "--output", output]
            let matterAlone = try await firm.run(["export", "--format", "csv", "--matter", "ACME-001"] + period)
            #expect(matterAlone.status == 2, "\(matterAlone.standardError)")
            #expect(matterAlone.standardError.contains("--client"), "\(matterAlone.standardError)")
            let backwards = try await firm.run(["export", "--format", "csv", "--from", "2026-04-30", "--to", "2026-04-01", "--output", output])
            #expect(backwards.status == 2, "\(backwards.standardError)")
            let unknown = try await firm.run(["export", "--format", "xml"] + period)
            #expect(unknown.status == 2, "\(unknown.standardError)")
            for format in ["csv", "jsonl", "ledes1998b"] { #expect(unknown.standardError.contains(format), "\(unknown.standardError)") }
            #expect(!FileManager.default.fileExists(atPath: output))

            let nope = try await firm.run(["statement", "--client", "NOPE", "--month", "2026-04"])
            #expect(nope.status == 2, "\(nope.standardError)")
            #expect(nope.standardError.contains("client 'NOPE' is not registered"), "\(nope.standardError)")
        }
    }

    /// A LEDES fee needs a registered timekeeper: without one the export stops (exit 4), says who
    /// and how to fix it, and writes nothing to --output.
    @Test func aLEDESFeeWithoutATimekeeperStopsTheExport() async throws {
        try await RatingFirm.with { firm in
            try await firm.importRegister("codes", [RatingFirm.codesHeader, "4100,ACME,Acme Widgets Ltd,,,,true,,"])
            try await firm.importRegister("plans", [RatingFirm.plansHeader, "STD,250.00,GBP,360,0,0,up,leg,false,"])
            try await firm.importRegister("rates", [RatingFirm.ratesHeader, "STD,,,,demo,,"])
            // Extension 303 is on the PBX but not in the register.
            let fay = CaptureLine.User(extensionNumber: "303", name: "Fay Fox")
            try await firm.ingest([CaptureLine.outbound("2026/04/01 09:00:00", talk: 300, user: fay, code: "4100", callID: 1_300_001)])
            try await firm.succeed("rate")
            let output = firm.directory + "/never.ledes"
            let export = try await firm.run(
                ["export", "--format", "ledes1998b", "--from", "2026-04-01", "--to", "2026-04-30", "--output", output],
                environment: GoldenFirm.cleanEnvironment
            )
            #expect(export.status == 4, "\(export.standardError)")
            #expect(export.standardError.contains("Fay Fox") && export.standardError.contains("timekeepers"), "\(export.standardError)")
            #expect(!FileManager.default.fileExists(atPath: output))
            // The same charge exports as CSV: only LEDES needs the timekeeper.
            let csv = try await firm.run(
                ["export", "--format", "csv", "--from", "2026-04-01", "--to", "2026-04-30"], environment: GoldenFirm.cleanEnvironment
            )
            #expect(csv.status == 0 && csv.standardOutput.contains("Fay Fox"), "\(csv.standardError)")
            // The report gives her time a line of its own, named, not under a registered name:
            // 300 s up to 360 s = 0.1 h × 250.00 (STD, this firm's site default) = 25.00 GBP.
            let report = try await firm.run(
                ["report", "--from", "2026-04-01", "--to", "2026-04-01", "--format", "csv"], environment: GoldenFirm.cleanEnvironment
            )
            #expect(report.status == 0, "\(report.standardError)")
            let timekeepers = report.standardOutput.split(separator: "\r\n").filter { $0.hasPrefix("timekeeper,") }
            #expect(timekeepers.contains { $0.hasPrefix("timekeeper,,Fay Fox (not registered),GBP,1,1,,300,0.1,25.00,0.00,25.00") }, "\(timekeepers)")
        }
    }

    // MARK: PDF

    @Test func theStatementPrintsToPDFAndAMissingChromiumNamesThePackage() async throws {
        try await GoldenFirm.with { firm in
            let html = firm.path("ACME.html")
            let pdf = firm.path("ACME.pdf")
            try await firm.succeed(["statement", "--client", "ACME", "--month", "2026-04", "--html", html, "--pdf", pdf] + GoldenFirm.firmFlags)
            #expect(try firm.bytes(pdf).starts(with: Array("%PDF-".utf8)))
            #expect(try firm.bytes(html).count > 0)

            let missing = firm.path("missing.pdf")
            let arguments = ["statement", "--client", "ACME", "--month", "2026-04", "--pdf", missing]
            for (more, environment) in [([], ["SMDR_CHROMIUM": "/nonexistent"]), (["--chromium", "/nonexistent"], [:])] as [([String], [String: String?])] {
                let output = try await firm.run(arguments + more, environment: environment)
                #expect(output.status == 4, "\(more) \(environment): \(output.standardError)")
                #expect(output.standardError.contains("apt-get install chromium"), "\(output.standardError)")
                #expect(output.standardError.contains("SMDR_CHROMIUM"), "\(output.standardError)")
                #expect(!FileManager.default.fileExists(atPath: missing))
            }
        }
    }

    // MARK: The report

    @Test func theReportsTotalsAreTheCharges() async throws {
        try await GoldenFirm.with { firm in
            let period = ["report", "--from", "2026-04-01", "--to", "2026-04-30"]
            let json = try await firm.succeed(period + ["--format", "json"] + GoldenFirm.firmFlags)
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any], "\(json.standardOutput)"
            )
            let clients = try #require(report["clients"] as? [[String: Any]], "\(report)")
            let totals = clients.map { line in
                [line["key"], line["currency"], line["total"]].map { ($0 as? String) ?? "?" }.joined(separator: " ")
            }
            let statementTotals = try Self.clientTotals(firm)
            #expect(totals.sorted() == statementTotals)
            #expect(totals.sorted() == ["ACME GBP 434.71", "ACME USD 120.00", "BETA GBP 20.00"])
            // Not billed yet: 1200007 in the review queue (600 s), 1200008 without a plan (300 s).
            let queue = try #require(report["review_queue"] as? [String: Any], "\(report)")
            #expect((queue["calls"] as? NSNumber)?.intValue == 1 && (queue["seconds"] as? NSNumber)?.intValue == 600, "\(queue)")
            let unrated = try #require(report["unrated"] as? [String: Any], "\(report)")
            #expect((unrated["legs"] as? NSNumber)?.intValue == 1 && (unrated["seconds"] as? NSNumber)?.intValue == 300, "\(unrated)")

            // The terminal table has totals lines: GBP 434.71 + 20.00 = 454.71 over the clients.
            let table = try await firm.succeed(period + ["--format", "table"] + GoldenFirm.firmFlags).standardOutput
            let totalLines = table.split(separator: "\n").filter { $0.lowercased().contains("total") }
            #expect(totalLines.contains { $0.contains("454.71") }, "\(table)")
            #expect(totalLines.contains { $0.contains("120.00") }, "\(table)")

            let csv = try await firm.succeed(period + ["--format", "csv"] + GoldenFirm.firmFlags).standardOutput
            let records = try CSVReader.records(Array(csv.utf8))
            let header = try #require(records.first).fields
            #expect(header.first == "table", "\(header)")
            for record in records { #expect(record.fields.count == header.count, "line \(record.line)") }
            #expect(Set(records.filter { $0.fields.first == "client" }.map { $0.fields[1] }) == ["ACME", "BETA"])
            #expect(records.contains { $0.fields.first == "review_queue" })

            // --html alone writes the page and nothing on standard output.
            let page = firm.path("report.html")
            let html = try await firm.succeed(period + ["--html", page] + GoldenFirm.firmFlags)
            #expect(html.standardOutput.isEmpty)
            let text = String(decoding: try firm.bytes(page), as: UTF8.self)
            #expect(text.contains("<svg") && !text.lowercased().contains("<script"))
        }
    }

    // MARK: Helpers

    @Test func theLineDiffFindsOnlyWhatChanged() {
        #expect(LineDiff.hunks("a\nb\nc\nd", "a\nB\nc\nd\ne") == [
            LineDiff.Hunk(removed: ["b"], added: ["B"]), LineDiff.Hunk(removed: [], added: ["e"]),
        ])
        #expect(LineDiff.hunks("x\ny", "x\ny").isEmpty)
    }

    @Test func aGoldenMismatchNamesTheFirstLineThatDiffers() {
        #expect(GoldenFile.firstDifference(Array("a\nb\nc\n".utf8), Array("a\nB\nc\n".utf8)) == #"line 2: expected "b", got "B""#)
        #expect(GoldenFile.firstDifference(Array("a\n".utf8), Array("a\nmore".utf8)) == #"line 2: expected "", got "more""#)
        #expect(GoldenFile.firstDifference(Array("a".utf8), Array("a\n".utf8)) == #"line 2: expected (end of file), got """#)
    }

    /// `client currency amount` of `smdr.client_statement`'s client_total lines of April.
    static func clientTotals(_ firm: GoldenFirm) throws -> [String] {
        try firm.strings(
            "SELECT client_id || ' ' || currency || ' ' || amount FROM smdr.client_statement WHERE line_type = 'client_total' AND month = '2026-04-01' ORDER BY 1"
        )
    }

    /// A query of `key value` lines as a dictionary.
    static func pairs(_ firm: GoldenFirm, _ sql: String) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try firm.strings(sql).map { line in
                let parts = line.split(separator: " ", maxSplits: 1)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
        )
    }

    /// Starts (after any spaces) with what a spreadsheet evaluates: `=`, `+`, `-`, `@`, a tab or a line end.
    static func startsLikeAFormula(_ text: String) -> Bool {
        guard let first = text.drop(while: { $0 == " " }).unicodeScalars.first else { return false }
        return ["=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"].contains(first)
    }

    /// A plain decimal number (a typed cell, which stays a number even when negative).
    static func isNumber(_ text: String) -> Bool {
        let parts = (text.hasPrefix("-") ? text.dropFirst() : Substring(text)).split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
