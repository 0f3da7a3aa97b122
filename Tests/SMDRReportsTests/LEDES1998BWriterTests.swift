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

    static func write(_ charges: [ExportCharge], period: ExportPeriod = Self.april, firm: Firm = Self.firm) throws(ExportError) -> String {
        String(decoding: try export(charges, with: LEDES1998BWriter(firm: firm, period: period)), as: UTF8.self)
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
        let text = try Self.write([.fixture(billedSeconds: 0, billedHours: Self.decimal(0, 1), amount: Self.decimal(0, 2))])
        #expect(Self.items(text).isEmpty)
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
        Refusal(
            name: "charges out of export order",
            charges: [.fixture(id: 1), .fixture(id: 2, clientID: "BETA"), .fixture(id: 3)],
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
