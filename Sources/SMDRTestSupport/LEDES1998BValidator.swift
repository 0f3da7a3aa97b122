import SMDRCore

/// A strict check of a LEDES 1998B file against the published field list (ledes.org, "LEDES
/// 1998B Format", Rev. 7-2014, as reproduced by CaseFox and Mitratech), written from the format,
/// not from smdr's writer, so that tests of the writer (and golden files) are checked by
/// something that did not make them.
///
/// What it checks:
/// - line 1 is exactly `LEDES1998B[]`, line 2 exactly the 24 field names ending `[]`; at least
///   one item follows; lines end with CRLF (or LF), no empty lines;
/// - every item line ends `[]`, has no other `[]`, and has exactly 24 `|`-separated fields with no
///   control characters;
/// - each field's type and length: dates `YYYYMMDD` and real dates; Currency 14.2
///   (INVOICE_TOTAL, LINE_ITEM_TOTAL: at most 2 decimals, so a JPY `101` passes) and 10.4
///   (LINE_ITEM_ADJUSTMENT_AMOUNT, LINE_ITEM_UNIT_COST), Number 10.4 (LINE_ITEM_NUMBER_OF_UNITS):
///   `-`, digits, optionally `.` and digits, at most `p` digits of which at most `s` decimals;
///   Character *n: at most n Unicode code points; required fields non-empty;
/// - EXP/FEE/INV_ADJ_TYPE is `F`, `E`, `IF` or `IE`; `F` and `E` lines have units and a unit cost
///   and LINE_ITEM_TOTAL = UNITS × UNIT_COST + ADJUSTMENT, rounded half-up to the decimals
///   LINE_ITEM_TOTAL is written with (to the cent); `IF`/`IE` lines have an adjustment equal to
///   the total; `F` lines have TIMEKEEPER_ID, TIMEKEEPER_NAME, TIMEKEEPER_CLASSIFICATION and a
///   UTBMS activity code `A1nn`; `E` lines a UTBMS expense code `E1nn`;
/// - per INVOICE_NUMBER: LINE_ITEM_NUMBERs unique; INVOICE_DATE, CLIENT_ID, LAW_FIRM_MATTER_ID,
///   INVOICE_TOTAL, BILLING_START_DATE, BILLING_END_DATE, INVOICE_DESCRIPTION and LAW_FIRM_ID the
///   same on every line (the format keeps the first and ignores the rest, so a difference is a
///   bug; smdr bills one matter per invoice, stricter than the format, which allows several);
///   BILLING_START_DATE not after BILLING_END_DATE; INVOICE_TOTAL equal to the sum of the
///   invoice's LINE_ITEM_TOTALs.
package enum LEDES1998BValidator {
    /// Every problem found, each naming its line (1-based) and field; empty when the file is valid.
    package static func problems(in text: String) -> [String] {
        var problems: [String] = []
        // Lines and fields are split on Unicode scalars, not characters: "\r\n" is one `Character`,
        // and so is a `|` followed by a combining mark.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Substring(line.last == "\r" ? line.dropLast() : line)
        }
        if lines.last == "" { lines.removeLast() }
        guard lines.count >= 1, lines[0] == "LEDES1998B[]" else {
            return ["line 1: must be exactly LEDES1998B[]"]
        }
        guard lines.count >= 2, lines[1] == Self.fields.map(\.name).joined(separator: "|") + "[]" else {
            return ["line 2: must be exactly the 24 field names of LEDES 1998B, separated by |, ending []"]
        }
        guard lines.count >= 3 else { return ["no line items after the header"] }

        var invoices: [Substring: Invoice] = [:]
        var order: [Substring] = []
        for index in 2..<lines.count {
            let number = index + 1
            func problem(_ message: String) { problems.append("line \(number): \(message)") }
            let line = lines[index]
            let scalars = line.unicodeScalars
            guard scalars.count >= 2, scalars.suffix(2).elementsEqual(["[", "]"]) else {
                problem(line.isEmpty ? "empty line" : "does not end with []")
                continue
            }
            let body = scalars.dropLast(2)
            if zip(body, body.dropFirst()).contains(where: { $0 == "[" && $1 == "]" }) { problem("[] inside the line (it ends a line)") }
            let values = body.split(separator: "|", omittingEmptySubsequences: false).map { Substring($0) }
            guard values.count == Self.fields.count else {
                problem("\(values.count) fields; LEDES 1998B has \(Self.fields.count)")
                continue
            }
            var decimals: [Int: Decimal] = [:]
            for (position, field) in Self.fields.enumerated() {
                let value = values[position]
                if value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                    problem("\(field.name) contains a control character")
                }
                if value.isEmpty {
                    if field.required { problem("\(field.name) is required") }
                    continue
                }
                switch field.type {
                case .date:
                    if Self.date(value) == nil { problem("\(field.name) \"\(value)\" is not a real date YYYYMMDD") }
                case .character(let limit):
                    let length = value.unicodeScalars.count
                    if length > limit { problem("\(field.name) has \(length) characters; at most \(limit)") }
                case .decimal(let precision, let scale):
                    if let decimal = Decimal(value), decimal.scale <= scale, decimal.digits <= precision,
                        decimal.digits - decimal.scale <= precision - scale
                    {
                        decimals[position] = decimal
                    } else {
                        problem("\(field.name) \"\(value)\" is not a number of at most \(precision) digits, \(scale) after the point")
                    }
                }
            }

            // The item's type and what it needs.
            let type = values[Self.type]
            let units = decimals[Self.units]
            let unitCost = decimals[Self.unitCost]
            let adjustment = decimals[Self.adjustment]
            let total = decimals[Self.lineTotal]
            switch type {
            case "F", "E":
                if values[Self.units].isEmpty { problem("LINE_ITEM_NUMBER_OF_UNITS is required on an \(type) line") }
                if values[Self.unitCost].isEmpty { problem("LINE_ITEM_UNIT_COST is required on an \(type) line") }
                if let units, let unitCost, let total, values[Self.adjustment].isEmpty || adjustment != nil {
                    // Units and unit cost have at most 4 decimals each: the product is exact at 8.
                    let exact = units.value(atScale: 4) * unitCost.value(atScale: 4) + (adjustment?.value(atScale: 8) ?? 0)
                    if Decimal.rounded(exact, fromScale: 8, toScale: total.scale) != total.value(atScale: total.scale) {
                        let adjustmentText = values[Self.adjustment].isEmpty ? "0" : values[Self.adjustment]
                        problem(
                            "LINE_ITEM_TOTAL \(values[Self.lineTotal]) ≠ UNITS × UNIT_COST + ADJUSTMENT "
                                + "(\(values[Self.units]) × \(values[Self.unitCost]) + \(adjustmentText))"
                        )
                    }
                }
            case "IF", "IE":
                if let total, adjustment?.value(atScale: 4) != total.value(atScale: 4) {
                    problem("an \(type) line's LINE_ITEM_ADJUSTMENT_AMOUNT must equal its LINE_ITEM_TOTAL")
                }
            default:
                problem("EXP/FEE/INV_ADJ_TYPE \"\(type)\" is not F, E, IF or IE")
            }
            if type == "F" {
                for position in [Self.timekeeperID, Self.timekeeperName, Self.timekeeperClassification] where values[position].isEmpty {
                    problem("\(Self.fields[position].name) is required on a fee line")
                }
                if !Self.isUTBMS(values[Self.activityCode], letter: "A") {
                    problem("LINE_ITEM_ACTIVITY_CODE \"\(values[Self.activityCode])\" is not a UTBMS activity code A1nn")
                }
            }
            if type == "E", !Self.isUTBMS(values[Self.expenseCode], letter: "E") {
                problem("LINE_ITEM_EXPENSE_CODE \"\(values[Self.expenseCode])\" is not a UTBMS expense code E1nn")
            }
            if let start = Self.date(values[Self.billingStart]), let end = Self.date(values[Self.billingEnd]), start > end {
                problem("BILLING_START_DATE is after BILLING_END_DATE")
            }

            // The invoice it belongs to.
            let invoiceNumber = values[Self.invoiceNumber]
            let constants = Self.invoiceConstants.map { values[$0] }
            if var invoice = invoices[invoiceNumber] {
                for (offset, position) in Self.invoiceConstants.enumerated() where constants[offset] != invoice.constants[offset] {
                    problem("\(Self.fields[position].name) differs from line \(invoice.firstLine) of invoice \(invoiceNumber)")
                }
                if !invoice.lineItemNumbers.insert(values[Self.lineItemNumber]).inserted {
                    problem("LINE_ITEM_NUMBER \(values[Self.lineItemNumber]) repeats in invoice \(invoiceNumber)")
                }
                invoice.sum += total?.value(atScale: 4) ?? 0
                invoices[invoiceNumber] = invoice
            } else {
                order.append(invoiceNumber)
                invoices[invoiceNumber] = Invoice(
                    firstLine: number, constants: constants, lineItemNumbers: [values[Self.lineItemNumber]],
                    invoiceTotal: decimals[Self.invoiceTotal], sum: total?.value(atScale: 4) ?? 0
                )
            }
        }
        for number in order {
            let invoice = invoices[number]!
            if let invoiceTotal = invoice.invoiceTotal, invoiceTotal.value(atScale: 4) != invoice.sum {
                problems.append(
                    "invoice \(number) (line \(invoice.firstLine)): INVOICE_TOTAL \(invoiceTotal.text) ≠ the sum of its LINE_ITEM_TOTALs"
                )
            }
        }
        return problems
    }

    // MARK: The field list

    private enum FieldType {
        case date
        /// Character * n.
        case character(Int)
        /// Currency or Number p.s: at most p digits, s of them after the point.
        case decimal(precision: Int, scale: Int)
    }

    private struct Field {
        var name: String
        var type: FieldType
        var required: Bool
    }

    private static let fields: [Field] = [
        Field(name: "INVOICE_DATE", type: .date, required: true),
        Field(name: "INVOICE_NUMBER", type: .character(20), required: true),
        Field(name: "CLIENT_ID", type: .character(20), required: true),
        Field(name: "LAW_FIRM_MATTER_ID", type: .character(20), required: true),
        Field(name: "INVOICE_TOTAL", type: .decimal(precision: 14, scale: 2), required: true),
        Field(name: "BILLING_START_DATE", type: .date, required: true),
        Field(name: "BILLING_END_DATE", type: .date, required: true),
        Field(name: "INVOICE_DESCRIPTION", type: .character(15_000), required: false),
        Field(name: "LINE_ITEM_NUMBER", type: .character(20), required: true),
        Field(name: "EXP/FEE/INV_ADJ_TYPE", type: .character(2), required: true),
        Field(name: "LINE_ITEM_NUMBER_OF_UNITS", type: .decimal(precision: 10, scale: 4), required: false),
        Field(name: "LINE_ITEM_ADJUSTMENT_AMOUNT", type: .decimal(precision: 10, scale: 4), required: false),
        Field(name: "LINE_ITEM_TOTAL", type: .decimal(precision: 14, scale: 2), required: true),
        Field(name: "LINE_ITEM_DATE", type: .date, required: true),
        Field(name: "LINE_ITEM_TASK_CODE", type: .character(20), required: false),
        Field(name: "LINE_ITEM_EXPENSE_CODE", type: .character(20), required: false),
        Field(name: "LINE_ITEM_ACTIVITY_CODE", type: .character(20), required: false),
        Field(name: "TIMEKEEPER_ID", type: .character(20), required: false),
        Field(name: "LINE_ITEM_DESCRIPTION", type: .character(15_000), required: true),
        Field(name: "LAW_FIRM_ID", type: .character(20), required: true),
        Field(name: "LINE_ITEM_UNIT_COST", type: .decimal(precision: 10, scale: 4), required: false),
        Field(name: "TIMEKEEPER_NAME", type: .character(30), required: false),
        Field(name: "TIMEKEEPER_CLASSIFICATION", type: .character(10), required: false),
        Field(name: "CLIENT_MATTER_ID", type: .character(20), required: false),
    ]

    // Positions (0-based) of the fields the cross-checks use.
    private static let invoiceNumber = 1
    private static let invoiceTotal = 4
    private static let billingStart = 5
    private static let billingEnd = 6
    private static let lineItemNumber = 8
    private static let type = 9
    private static let units = 10
    private static let adjustment = 11
    private static let lineTotal = 12
    private static let expenseCode = 15
    private static let activityCode = 16
    private static let timekeeperID = 17
    private static let unitCost = 20
    private static let timekeeperName = 21
    private static let timekeeperClassification = 22
    /// INVOICE_DATE, CLIENT_ID, LAW_FIRM_MATTER_ID, INVOICE_TOTAL, BILLING_START_DATE,
    /// BILLING_END_DATE, INVOICE_DESCRIPTION, LAW_FIRM_ID.
    private static let invoiceConstants = [0, 2, 3, 4, 5, 6, 7, 19]

    private struct Invoice {
        var firstLine: Int
        var constants: [Substring]
        var lineItemNumbers: Set<Substring>
        var invoiceTotal: Decimal?
        /// Sum of LINE_ITEM_TOTAL at scale 4.
        var sum: Int128
    }

    // MARK: Values

    /// `YYYYMMDD` of a real date, as (year, month, day).
    private static func date(_ text: Substring) -> (Int, Int, Int)? {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let year = Int(text.prefix(4)), let month = Int(text.dropFirst(4).prefix(2)), let day = Int(text.suffix(2)),
            year >= 1, (1...12).contains(month), day >= 1, day <= LocalDate.days(inMonth: month, year: year)
        else { return nil }
        return (year, month, day)
    }

    /// `A1nn` / `E1nn`: a UTBMS activity or expense code.
    private static func isUTBMS(_ text: Substring, letter: Character) -> Bool {
        let characters = Array(text)
        return characters.count == 4 && characters[0] == letter && characters[1] == "1"
            && characters[2].isASCII && characters[2].isNumber && characters[3].isASCII && characters[3].isNumber
    }

    /// A decimal as written: sign, digits, optionally a point and digits.
    private struct Decimal: Equatable {
        var text: Substring
        /// The digits without the point, as an integer (negative when signed).
        var units: Int128
        /// Digits after the point.
        var scale: Int
        /// Digits in all.
        var digits: Int

        init?(_ text: Substring) {
            var rest = text[...]
            let negative = rest.first == "-"
            if negative { rest = rest.dropFirst() }
            let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
                parts.joined().count <= 30, let magnitude = Int128(parts.joined())
            else { return nil }
            self.text = text
            self.units = negative ? -magnitude : magnitude
            self.scale = parts.count == 2 ? parts[1].count : 0
            self.digits = parts.joined().count
        }

        /// The value in units of 10^-scale (scale ≥ the written scale).
        func value(atScale target: Int) -> Int128 {
            var value = self.units
            for _ in self.scale..<max(target, self.scale) { value *= 10 }
            return value
        }

        /// `value` (at `fromScale`) half-up, away from zero, to `toScale` decimals.
        static func rounded(_ value: Int128, fromScale: Int, toScale: Int) -> Int128 {
            var divisor: Int128 = 1
            for _ in toScale..<fromScale { divisor *= 10 }
            let magnitude = (value.magnitude + divisor.magnitude / 2) / divisor.magnitude
            return value < 0 ? -Int128(magnitude) : Int128(magnitude)
        }
    }
}
