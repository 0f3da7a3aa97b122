import SMDRTestSupport
import Testing

/// The validator itself: a small file made by hand passes, and each rule fails on a file broken
/// in that one way.
@Suite struct LEDES1998BValidatorTests {
    static let header =
        "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|"
        + "INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
        + "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
        + "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]"

    /// A fee (0.2 h × 300.00) and an expense (0.07) of one invoice totalling 60.07, and a JPY
    /// invoice of one fee (0.0833 h × 1000 = 83.3 → 83, adjustment 0).
    static let fee = [
        "20260430", "INV-1", "ACME", "M1", "60.07", "20260401", "20260430", "Telephone time", "1", "F", "0.2", "0.00", "60.00",
        "20260401", "", "", "A106", "TK1", "Call with Acme", "12-3456789", "300.00", "Jane Roe", "PT", "",
    ]
    static let expense = [
        "20260430", "INV-1", "ACME", "M1", "60.07", "20260401", "20260430", "Telephone time", "2", "E", "1", "0", "0.07",
        "20260401", "", "E105", "", "", "Carrier charges", "12-3456789", "0.07", "", "", "",
    ]
    static let yen = [
        "20260430", "INV-2", "ACME", "M2", "83", "20260401", "20260430", "Telephone time, JPY", "1", "F", "0.0833", "0", "83",
        "20260402", "", "", "A106", "TK1", "Call", "12-3456789", "1000", "Jane Roe", "PT", "",
    ]

    static func file(_ lines: [[String]], first: String = "LEDES1998B[]", header: String = Self.header) -> String {
        ([first, header] + lines.map { $0.joined(separator: "|") + "[]" }).map { $0 + "\r\n" }.joined()
    }

    static func with(_ line: [String], _ changes: [Int: String]) -> [String] {
        var line = line
        for (index, value) in changes { line[index] = value }
        return line
    }

    @Test func handMadeFilePasses() {
        #expect(LEDES1998BValidator.problems(in: Self.file([Self.fee, Self.expense, Self.yen])) == [])
        // LF line ends, and a field starting with a combining mark (one `Character` with the `|` before it).
        let variant = Self.file([Self.with(Self.fee, [18: "\u{301}Call 👩‍⚖️"]), Self.expense]).replacing("\r\n", with: "\n")
        #expect(LEDES1998BValidator.problems(in: variant) == [])
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        let rule: String
        let text: String
        let problem: String
        var testDescription: String { self.rule }
    }

    static let broken: [Broken] = [
        Broken(rule: "first line", text: file([fee], first: "LEDES98B[]"), problem: "line 1: must be exactly LEDES1998B[]"),
        Broken(
            rule: "header", text: file([fee], header: header.replacingFirst("CLIENT_ID", with: "CLIENT")),
            problem: "line 2: must be exactly the 24 field names"
        ),
        Broken(rule: "no items", text: file([]), problem: "no line items"),
        Broken(rule: "line end", text: file([fee]).replacingFirst("|[]\r\n", with: "|\r\n"), problem: "line 3: does not end with []"),
        Broken(rule: "stray []", text: file([with(fee, [18: "Call [] Acme"])]), problem: "line 3: [] inside the line"),
        Broken(rule: "field count", text: file([Array(fee.dropLast())]), problem: "line 3: 23 fields; LEDES 1998B has 24"),
        Broken(rule: "real date", text: file([with(fee, [13: "20260231"])]), problem: "LINE_ITEM_DATE \"20260231\" is not a real date"),
        Broken(rule: "date form", text: file([with(fee, [0: "2026-04-30"])]), problem: "INVOICE_DATE \"2026-04-30\" is not a real date"),
        Broken(
            rule: "currency 14.2", text: file([with(fee, [4: "60.000", 12: "60.000"])]),
            problem: "LINE_ITEM_TOTAL \"60.000\" is not a number of at most 14 digits, 2 after the point"
        ),
        Broken(
            rule: "number", text: file([with(fee, [10: "0.2h"])]),
            problem: "LINE_ITEM_NUMBER_OF_UNITS \"0.2h\" is not a number of at most 10 digits, 4 after the point"
        ),
        Broken(
            rule: "number 10.4", text: file([with(fee, [10: "0.20000"])]),
            problem: "LINE_ITEM_NUMBER_OF_UNITS \"0.20000\" is not a number"
        ),
        Broken(rule: "required", text: file([with(fee, [2: ""])]), problem: "line 3: CLIENT_ID is required"),
        Broken(
            rule: "length", text: file([with(fee, [19: String(repeating: "9", count: 21)])]),
            problem: "LAW_FIRM_ID has 21 characters; at most 20"
        ),
        Broken(
            rule: "length in characters", text: file([with(fee, [21: String(repeating: "👩‍⚖️", count: 8)])]),
            problem: "TIMEKEEPER_NAME has 32 characters; at most 30"
        ),
        Broken(rule: "type", text: file([with(fee, [9: "X"])]), problem: "EXP/FEE/INV_ADJ_TYPE \"X\" is not F, E, IF or IE"),
        Broken(
            rule: "fee timekeeper", text: file([with(fee, [22: ""])]),
            problem: "TIMEKEEPER_CLASSIFICATION is required on a fee line"
        ),
        Broken(rule: "fee activity", text: file([with(fee, [16: "L110"])]), problem: "\"L110\" is not a UTBMS activity code"),
        Broken(rule: "expense code", text: file([fee, with(expense, [15: ""])]), problem: "line 4: LINE_ITEM_EXPENSE_CODE \"\" is not a UTBMS"),
        Broken(rule: "units required", text: file([with(fee, [10: ""])]), problem: "LINE_ITEM_NUMBER_OF_UNITS is required on an F line"),
        Broken(
            rule: "units × cost + adjustment", text: file([with(fee, [20: "300.05"])]),
            problem: "LINE_ITEM_TOTAL 60.00 ≠ UNITS × UNIT_COST + ADJUSTMENT"
        ),
        Broken(
            rule: "adjustment counts", text: file([with(fee, [11: "0.01"])]),
            problem: "LINE_ITEM_TOTAL 60.00 ≠ UNITS × UNIT_COST + ADJUSTMENT"
        ),
        Broken(
            rule: "invoice-level adjustment", text: file([with(fee, [9: "IF", 11: "-5", 12: "-4", 4: "-4"])]),
            problem: "an IF line's LINE_ITEM_ADJUSTMENT_AMOUNT must equal its LINE_ITEM_TOTAL"
        ),
        Broken(
            rule: "line item numbers unique", text: file([fee, with(expense, [8: "1"])]),
            problem: "line 4: LINE_ITEM_NUMBER 1 repeats in invoice INV-1"
        ),
        Broken(
            rule: "invoice total = sum", text: file([with(fee, [4: "60.08"]), with(expense, [4: "60.08"])]),
            problem: "invoice INV-1 (line 3): INVOICE_TOTAL 60.08 ≠ the sum of its LINE_ITEM_TOTALs"
        ),
        Broken(
            rule: "invoice total constant", text: file([fee, with(expense, [4: "60.08"])]),
            problem: "line 4: INVOICE_TOTAL differs from line 3 of invoice INV-1"
        ),
        Broken(rule: "client constant", text: file([fee, with(expense, [2: "BETA"])]), problem: "line 4: CLIENT_ID differs"),
        Broken(rule: "matter constant", text: file([fee, with(expense, [3: "M9"])]), problem: "line 4: LAW_FIRM_MATTER_ID differs"),
        Broken(rule: "date constant", text: file([fee, with(expense, [0: "20260501"])]), problem: "line 4: INVOICE_DATE differs"),
        Broken(rule: "period constant", text: file([fee, with(expense, [6: "20260429"])]), problem: "line 4: BILLING_END_DATE differs"),
        Broken(
            rule: "description constant", text: file([fee, with(expense, [7: "Other"])]), problem: "line 4: INVOICE_DESCRIPTION differs"
        ),
        Broken(
            rule: "period order", text: file([with(fee, [5: "20260501"])]), problem: "BILLING_START_DATE is after BILLING_END_DATE"
        ),
        Broken(rule: "control character", text: file([with(fee, [18: "Call\twith"])]), problem: "LINE_ITEM_DESCRIPTION contains a control character"),
    ]

    @Test(arguments: Self.broken)
    func eachRuleFails(_ broken: Broken) {
        let problems = LEDES1998BValidator.problems(in: broken.text)
        #expect(problems.contains { $0.contains(broken.problem) }, "\(problems)")
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        self.replacing(target, with: replacement, maxReplacements: 1)
    }
}
