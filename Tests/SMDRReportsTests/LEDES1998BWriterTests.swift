import SMDRCore
import SMDRRating
import SMDRReports
import SMDRTestSupport
import Testing

/// `smdr export --format ledes1998b`: several invoices checked by the strict validator, totals
/// worked out by hand, stable and distinct invoice numbers, hostile names made safe, and the
/// charges LEDES cannot hold refused with an error that says why.
@Suite struct LEDES1998BWriterTests {
    static let firm = Firm(name: "Roe & Co", address: ["1 Strand", "London"], lawFirmID: "12-3456789")
    static let april = ExportPeriod(from: LocalDate(year: 2026, month: 4, day: 1), to: LocalDate(year: 2026, month: 4, day: 30))

    static func decimal(_ units: Int64, _ scale: Int) -> ExactDecimal { ExactDecimal(units: units, scale: scale) }

    /// In export order: client, matter (none first), currency, date, kind.
    static let charges: [ExportCharge] = [
        // ACME, no matter, GBP: 0.2 h × 300.00 = 60.00, carrier cost 0.07 → 60.07.
        .fixture(id: 1, calls: [.fixture(name: "=HYPERLINK(\"x\")|[]")]),
        .fixture(id: 2, kind: .expense, amount: decimal(7, 2)),
        // ACME, Merger, GBP: 300 s = 0.083333 h × 333.33 = 27.7775 → 27.78 (units 0.0833 × 333.33 = 27.766389 → 27.77,
        // adjustment 0.01); a fee below the grace (0 s, left out); 1.0 h × 333.33 = 333.33 → 361.11.
        .fixture(
            id: 3, matterID: "M1", matterName: "Merger", timekeeperID: "TK2", timekeeperName: "Bob 👩‍⚖️ <script>alert(1)</script>",
            classification: "AS", rawSeconds: 290, billedSeconds: 300, billedHours: decimal(83333, 6), rate: decimal(33333, 2),
            amount: decimal(2778, 2), calls: [.fixture(id: 3, seconds: 290)]
        ),
        .fixture(
            id: 4, matterID: "M1", matterName: "Merger", rawSeconds: 20, billedSeconds: 0, billedHours: decimal(0, 1),
            rate: decimal(33333, 2), amount: decimal(0, 2), calls: [.fixture(id: 4, seconds: 20)]
        ),
        .fixture(
            id: 5, matterID: "M1", matterName: "Merger", date: LocalDate(year: 2026, month: 4, day: 2), rawSeconds: 3500,
            billedSeconds: 3600, billedHours: decimal(10, 1), rate: decimal(33333, 2), amount: decimal(33333, 2),
            calls: [.fixture(id: 5, start: LocalDateTime(year: 2026, month: 4, day: 2, hour: 14, minute: 5), name: "Line\r\nBreak\tTab", seconds: 3500)]
        ),
        // ACME, Merger, JPY: 0.2 h × 30000 = 6000, carrier cost 101 → 6101.
        .fixture(id: 6, matterID: "M1", matterName: "Merger", rate: decimal(30000, 0), amount: decimal(6000, 0), currency: "JPY"),
        .fixture(id: 7, kind: .expense, matterID: "M1", matterName: "Merger", amount: decimal(101, 0), currency: "JPY"),
        // BETA, no matter, GBP: 0.1 h × 250.00 = 25.00.
        .fixture(
            id: 8, clientID: "BETA", clientName: "Beta | [Corp]", rawSeconds: 200, billedSeconds: 360, billedHours: decimal(1, 1),
            rate: decimal(25000, 2), amount: decimal(2500, 2), calls: [.fixture(id: 8, seconds: 200)]
        ),
    ]

    /// The file of `charges`, each given its invoice's total as the export query does (unless set).
    static func write(_ charges: [ExportCharge], period: ExportPeriod = Self.april, firm: Firm = Self.firm) throws(ExportError) -> String {
        String(decoding: try export(withInvoiceTotals(charges), with: LEDES1998BWriter(firm: firm, period: period)), as: UTF8.self)
    }

    /// The error writing `charges` stops with.
    static func refusal(_ charges: [ExportCharge], firm: Firm = Self.firm) -> ExportError? {
        do {
            _ = try Self.write(charges, firm: firm)
            return nil
        } catch {
            return error
        }
    }

    /// The item lines' fields.
    static func items(_ text: String) -> [[String]] {
        text.split(separator: "\r\n").dropFirst(2).map { line in
            line.dropLast(2).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test func severalInvoicesPassTheValidatorWithTotalsWorkedOutByHand() throws {
        let text = try Self.write(Self.charges)
        #expect(LEDES1998BValidator.problems(in: text) == [])
        #expect(text.hasPrefix("LEDES1998B[]\r\nINVOICE_DATE|INVOICE_NUMBER|"))
        #expect(text.hasSuffix("[]\r\n"))
        let items = Self.items(text)
        try #require(items.count == 7)
        // INVOICE_NUMBER, CLIENT_ID, LAW_FIRM_MATTER_ID, INVOICE_TOTAL, LINE_ITEM_NUMBER, type, units, adjustment, total, unit cost.
        let summary = items.map { [$0[2], $0[3], $0[4], $0[8], $0[9], $0[10], $0[11], $0[12], $0[20]] }
        #expect(
            summary == [
                ["ACME", "ACME", "60.07", "1", "F", "0.2", "0.00", "60.00", "300.00"],
                ["ACME", "ACME", "60.07", "2", "E", "1", "0.00", "0.07", "0.07"],
                ["ACME", "M1", "361.11", "1", "F", "0.0833", "0.01", "27.78", "333.33"],
                ["ACME", "M1", "361.11", "2", "F", "1.0", "0.00", "333.33", "333.33"],
                ["ACME", "M1", "6101", "1", "F", "0.2", "0", "6000", "30000"],
                ["ACME", "M1", "6101", "2", "E", "1", "0", "101", "101"],
                ["BETA", "BETA", "25.00", "1", "F", "0.1", "0.00", "25.00", "250.00"],
            ]
        )
        // Invoice numbers: one per client, matter and currency, distinct, 20 characters, YYYYMM of the period's end.
        let numbers = items.map { $0[1] }
        #expect(Set(numbers).count == 4)
        #expect(numbers[0] == numbers[1] && numbers[2] == numbers[3] && numbers[4] == numbers[5])
        for number in numbers {
            #expect(number.count == 20 && number.hasPrefix("202604-"))
            #expect(number.dropFirst(7).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        }
        // The first line in full (its invoice number aside).
        #expect(
            items[0] == [
                "20260430", numbers[0], "ACME", "ACME", "60.07", "20260401", "20260430",
                "Telephone time, Acme Ltd, 2026-04-01 to 2026-04-30, GBP", "1", "F", "0.2", "0.00", "60.00", "20260401", "", "",
                "A106", "TK1", "Telephone call 2026-04-01 09:00 with +442079460000 =HYPERLINK(\"x\")/(), 7.0 min (code 1001)",
                "12-3456789", "300.00", "Jane Roe", "PT", "",
            ]
        )
        // The expense: E105, no activity, the timekeeper known.
        #expect([items[1][14], items[1][15], items[1][16], items[1][17], items[1][21], items[1][22]] == ["", "E105", "", "TK1", "Jane Roe", "PT"])
        #expect(items[1][18] == "Carrier charges: telephone call 2026-04-01 09:00 with +442079460000 Acme Ltd, 7.0 min (code 1001)")
        // Hostile text made safe: a name cut at 30 characters, the emoji whole; CR, LF and TAB as spaces; | [ ] replaced.
        #expect(items[2][21] == "Bob 👩‍⚖️ <script>alert(1)</scr")
        #expect(items[2][22] == "AS")
        #expect(items[3][18] == "Telephone call 2026-04-02 14:05 with +442079460000 Line  Break Tab, 58.3 min (code 1001)")
        #expect(items[4][7] == "Telephone time, Acme Ltd — Merger, 2026-04-01 to 2026-04-30, JPY")
        #expect(items[6][7] == "Telephone time, Beta / (Corp), 2026-04-01 to 2026-04-30, GBP")
    }

    @Test func invoiceNumbersAreStableForTheSameInputsAndChangeWithThePeriod() throws {
        let first = try Self.write(Self.charges)
        #expect(try Self.write(Self.charges) == first)
        let numbers = Self.items(first).map { $0[1] }
        let may = ExportPeriod(from: LocalDate(year: 2026, month: 4, day: 1), to: LocalDate(year: 2026, month: 5, day: 31))
        let other = Self.items(try Self.write(Self.charges, period: may)).map { $0[1] }
        #expect(other.allSatisfy { $0.hasPrefix("202605-") })
        #expect(Set(numbers).isDisjoint(with: other))
        let shifted = ExportPeriod(from: LocalDate(year: 2026, month: 4, day: 2), to: LocalDate(year: 2026, month: 4, day: 30))
        #expect(Set(numbers).isDisjoint(with: Self.items(try Self.write(Self.charges, period: shifted)).map { $0[1] }))
        // The invoice date is the period's end by default, or as given.
        let dated = ExportPeriod(from: Self.april.from, to: Self.april.to, invoiceDate: LocalDate(year: 2026, month: 5, day: 3))
        #expect(Self.items(try Self.write(Self.charges, period: dated)).allSatisfy { $0[0] == "20260503" })
    }

    @Test func aNameIsCutBeforeAnEmojiThatWouldCrossTheLimit() throws {
        let name = String(repeating: "x", count: 28) + "👩‍⚖️"
        let text = try Self.write([.fixture(timekeeperName: name)])
        #expect(LEDES1998BValidator.problems(in: text) == [])
        #expect(Self.items(text)[0][21] == String(repeating: "x", count: 28))
    }

    @Test func anInvoiceOfOnlyUnbilledFeesIsNotWritten() throws {
        let text = try Self.write([
            .fixture(id: 1, billedSeconds: 0, billedHours: Self.decimal(0, 1), amount: Self.decimal(0, 2)),
            .fixture(id: 2, clientID: "BETA"),
        ])
        #expect(LEDES1998BValidator.problems(in: text) == [])
        #expect(Self.items(text).map { [$0[2], $0[4], $0[8]] } == [["BETA", "60.00", "1"]])
    }

    /// A file with no line item is not a LEDES 1998B file (the format wants at least one): no
    /// charges, or only fees billed 0 s, stop the export instead of writing a header alone.
    @Test(arguments: [
        [],
        [ExportCharge.fixture(billedSeconds: 0, billedHours: ExactDecimal(units: 0, scale: 1), amount: ExactDecimal(units: 0, scale: 2))],
    ])
    func anExportWithoutALineItemIsRefused(_ charges: [ExportCharge]) {
        #expect(
            Self.refusal(charges)?.message
                == "no billable charges from 2026-04-01 to 2026-04-30: a LEDES 1998B file needs at least one line item"
        )
    }

    /// Memory stays flat: a line is written when its charge comes, with the invoice's total the
    /// export query gave, not held until the invoice ends.
    @Test func eachLineIsWrittenAsItsChargeComes() throws {
        var writer = LEDES1998BWriter(firm: Self.firm, period: Self.april)
        var output: [UInt8] = []
        writer.start(into: &output)
        output.removeAll()
        try writer.append(.fixture(id: 1, invoiceTotal: Self.decimal(6007, 2)), into: &output)
        let first = Self.items("LEDES1998B[]\r\nheader[]\r\n" + String(decoding: output, as: UTF8.self))
        #expect(first.map { [$0[2], $0[4], $0[8], $0[12]] } == [["ACME", "60.07", "1", "60.00"]])
        output.removeAll()
        try writer.append(.fixture(id: 2, kind: .expense, amount: Self.decimal(7, 2), invoiceTotal: Self.decimal(6007, 2)), into: &output)
        let second = Self.items("LEDES1998B[]\r\nheader[]\r\n" + String(decoding: output, as: UTF8.self))
        #expect(second.map { [$0[2], $0[4], $0[8], $0[12]] } == [["ACME", "60.07", "2", "0.07"]])
        output.removeAll()
        try writer.finish(into: &output)
        #expect(output.isEmpty)
    }

    /// The writer cannot hold an invoice to add it up, so it needs the total from the query.
    @Test func aChargeWithoutItsInvoiceTotalIsRefused() {
        do {
            _ = try export([.fixture(id: 5)], with: LEDES1998BWriter(firm: Self.firm, period: Self.april))
            Issue.record("no error")
        } catch {
            #expect(error.message.contains("charge 5") && error.message.contains("invoice total"), "\(error.message)")
        }
    }

    /// A bug guard: an invoice total that is not the sum of the lines written under it (the query
    /// and the writer disagree) stops the export when the invoice ends: at the next invoice, at
    /// the end of the charges, or at a charge of the same invoice that says otherwise.
    @Test func anInvoiceTotalThatIsNotTheSumOfItsLinesStopsTheExport() {
        let wrong = Self.decimal(9900, 2)
        let atNextInvoice = Self.refusal([.fixture(id: 1, invoiceTotal: wrong), .fixture(id: 2, clientID: "BETA")])
        let atTheEnd = Self.refusal([
            .fixture(id: 1), .fixture(id: 2, kind: .expense, amount: Self.decimal(7, 2)),
            .fixture(id: 3, clientID: "BETA", invoiceTotal: wrong),
        ])
        for error in [atNextInvoice, atTheEnd] {
            #expect(error?.message.contains("INVOICE_TOTAL 99.00") == true, "\(String(describing: error))")
            #expect(error?.message.contains("60.00") == true, "\(String(describing: error))")
        }
        let disagreeing = Self.refusal([
            .fixture(id: 1, invoiceTotal: Self.decimal(6007, 2)),
            .fixture(id: 2, kind: .expense, amount: Self.decimal(7, 2), invoiceTotal: wrong),
        ])
        #expect(disagreeing?.message.contains("charge 2") == true, "\(String(describing: disagreeing))")
        // A total at another scale is the same amount: 60.0 is 60.00.
        #expect(Self.refusal([.fixture(id: 1, invoiceTotal: Self.decimal(600, 1))]) == nil)
    }

    /// PostgreSQL tells `é` (NFC) from `e` + U+0301 (NFD) and so does the invoice total's window;
    /// Swift's `==` does not. Two such clients are two invoices, each id written as it came.
    @Test func clientsThatDifferOnlyInNormalisationAreTwoInvoices() throws {
        let decomposed = "Caf" + "e\u{301}"
        let composed = "Caf\u{E9}"
        #expect(decomposed == composed)
        let text = try Self.write([
            .fixture(id: 1, clientID: decomposed), .fixture(id: 2, clientID: composed, amount: Self.decimal(2500, 2)),
        ])
        #expect(LEDES1998BValidator.problems(in: text) == [])
        let items = Self.items(text)
        try #require(items.count == 2)
        #expect(items.map { [$0[4], $0[8], $0[12]] } == [["60.00", "1", "60.00"], ["25.00", "1", "25.00"]])
        #expect(Array(items[0][2].utf8) == Array(decomposed.utf8) && Array(items[1][2].utf8) == Array(composed.utf8))
        #expect(items[0][1] != items[1][1])
    }

    @Test func aZeroRateFeeWithBilledTimeIsWritten() throws {
        let text = try Self.write([.fixture(rate: Self.decimal(0, 2), amount: Self.decimal(0, 2))])
        #expect(LEDES1998BValidator.problems(in: text) == [])
        #expect(Self.items(text).map { [$0[10], $0[11], $0[12], $0[20]] } == [["0.2", "0.00", "0.00", "0.00"]])
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let charges: [ExportCharge]
        var firm: Firm = LEDES1998BWriterTests.firm
        let words: [String]
        var testDescription: String { self.name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "fee of a user who is not a timekeeper", charges: [.fixture(id: 9, timekeeperID: nil, timekeeperName: "Reception")],
            words: ["charge 9", "Reception", "smdr register import timekeepers"]
        ),
        Refusal(
            name: "fee of a timekeeper without a classification", charges: [.fixture(id: 10, classification: nil)],
            words: ["charge 10", "TK1", "classification", "smdr register import timekeepers"]
        ),
        Refusal(
            name: "client id longer than 20", charges: [.fixture(clientID: String(repeating: "C", count: 21))],
            words: ["CLIENT_ID", "21 characters", "at most 20"]
        ),
        Refusal(
            name: "matter id longer than 20", charges: [.fixture(matterID: String(repeating: "M", count: 25))],
            words: ["LAW_FIRM_MATTER_ID", "25 characters", "at most 20"]
        ),
        Refusal(
            name: "timekeeper id longer than 20", charges: [.fixture(timekeeperID: String(repeating: "T", count: 22))],
            words: ["TIMEKEEPER_ID", "22 characters", "at most 20"]
        ),
        Refusal(
            name: "a currency with 3 decimals", charges: [.fixture(id: 11, amount: ExactDecimal(units: 60000, scale: 3), currency: "BHD")],
            words: ["charge 11", "BHD", "at most 2 decimals"]
        ),
        Refusal(
            name: "no law firm id", charges: [.fixture()], firm: Firm(name: "Roe & Co", address: [], lawFirmID: ""),
            words: ["LAW_FIRM_ID", "SMDR_LAW_FIRM_ID"]
        ),
        // An identifier with | [ ] or a control character is refused, not rewritten: `A|B` made `A/B`
        // would be billed as the client `A/B`.
        Refusal(
            name: "client id with |", charges: [.fixture(clientID: "A|B")],
            words: ["CLIENT_ID", "\"A|B\"", "| [ ] or a control character"]
        ),
        Refusal(
            name: "matter id with [ ]", charges: [.fixture(matterID: "M[1]")],
            words: ["LAW_FIRM_MATTER_ID", "\"M[1]\"", "| [ ] or a control character"]
        ),
        Refusal(
            name: "timekeeper id with a line feed", charges: [.fixture(timekeeperID: "T\n1")],
            words: ["TIMEKEEPER_ID", "\"T\\u{A}1\"", "| [ ] or a control character"]
        ),
        Refusal(
            name: "classification with a tab", charges: [.fixture(classification: "P\tT")],
            words: ["TIMEKEEPER_CLASSIFICATION", "\"P\\u{9}T\"", "| [ ] or a control character"]
        ),
        Refusal(
            name: "law firm id with ]", charges: [.fixture()], firm: Firm(name: "Roe & Co", address: [], lawFirmID: "12]34"),
            words: ["LAW_FIRM_ID", "\"12]34\"", "| [ ] or a control character"]
        ),
        Refusal(
            name: "charges out of export order",
            // Each run of ACME given its own total, so that the order, not the total, is what is wrong.
            charges: [
                .fixture(id: 1, invoiceTotal: ExactDecimal(units: 6000, scale: 2)), .fixture(id: 2, clientID: "BETA"),
                .fixture(id: 3, invoiceTotal: ExactDecimal(units: 6000, scale: 2)),
            ],
            words: ["charge 3", "export order"]
        ),
    ]

    @Test(arguments: Self.refusals)
    func chargesLEDESCannotHoldAreRefusedSayingWhy(_ refusal: Refusal) {
        do {
            _ = try Self.write(refusal.charges, firm: refusal.firm)
            Issue.record("no error")
        } catch {
            for word in refusal.words { #expect(error.message.contains(word), "\(error.message)") }
        }
    }
}
