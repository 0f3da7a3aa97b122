import SMDRCore
import SMDRRating

/// `smdr export --format ledes1998b`: LEDES 1998B, the pipe-delimited e-billing file corporate
/// legal departments import, to the letter of the published field list (ledes.org, "LEDES 1998B
/// Format", Rev. 7-2014).
///
/// Line 1 is `LEDES1998B[]`, line 2 the 24 field names (``header``), then one line per item; every
/// line ends `[]` and CRLF. Dates are `YYYYMMDD`.
///
/// **Invoices.** One invoice per client, matter and currency: LEDES 1998B has no currency field,
/// so an invoice never mixes two, and INVOICE_DESCRIPTION names its currency. Charges arrive in the
/// export order (``ExportWriter``), so the writer holds one invoice's lines, then writes them with
/// the invoice's total: memory is one invoice (and the key of each invoice written). A client,
/// matter and currency seen again after its invoice was written is an error (the charges were not
/// in export order), not a second invoice with the same number.
/// - INVOICE_NUMBER: `YYYYMM` of the period's end, `-`, and 13 Crockford base-32 characters
///   (65 bits) of the SHA-256 of client, matter, currency and period (each length-prefixed, so no
///   two inputs run together): 20 characters, the format's maximum. The same client, matter,
///   currency and period always give the same number, so a re-export replaces rather than
///   duplicates an invoice in the client's system; no counter is kept, so exporting needs no
///   write access (a reader role can export) and two exports never race for a number.
/// - CLIENT_ID is the client's id; LAW_FIRM_MATTER_ID the matter's id, or the client's id for
///   charges without a matter (the field is required); CLIENT_MATTER_ID is empty (smdr does not
///   know the client's own matter numbers); LAW_FIRM_ID is ``Firm/lawFirmID``; INVOICE_DATE is
///   ``ExportPeriod/invoiceDate``; BILLING_START_DATE and BILLING_END_DATE the period.
/// - INVOICE_TOTAL is the exact sum of the invoice's LINE_ITEM_TOTALs, at the currency's minor
///   unit. The format carries at most 2 decimals (Currency 14.2): a currency with 3 (BHD, KWD) is
///   refused rather than rounded.
///
/// **Lines.** LINE_ITEM_NUMBER counts 1, 2, … within each invoice; LINE_ITEM_DATE is the charge date.
/// - A fee billed more than 0 s is an `F` line: units the billed hours (half-up to the format's 4
///   decimals: `0.083333` h of a 300 s increment is `0.0833`), unit cost the hourly rate (half-up
///   to 4 decimals), LINE_ITEM_TOTAL the amount as rated, and LINE_ITEM_ADJUSTMENT_AMOUNT = amount −
///   units × unit cost rounded half-up to the amount's scale, so that TOTAL = UNITS × UNIT_COST +
///   ADJUSTMENT holds to the cent; it is `0.00` unless the units had to be rounded. Activity code
///   `A106` (communicate with client), no task or expense code; TIMEKEEPER_ID, _NAME and
///   _CLASSIFICATION from the register. A fee whose user is not a registered timekeeper, or whose
///   timekeeper has no classification, cannot be an `F` line: the export stops with an error that
///   names the charge and the fix. A fee billed 0 s (below the grace) bills nothing and is left
///   out; a fee at a zero rate with billed time is written (the client sees the time).
/// - An expense (carrier cost passed on) is an `E` line: 1 unit at the amount, no adjustment,
///   expense code `E105` (telephone), no activity code, the timekeeper's fields when known.
/// - LINE_ITEM_DESCRIPTION is what a client reads: `Telephone call 2026-04-01 09:00 with
///   +442079460000 Acme Ltd, 7.0 min (code 1001)`, each call listed when a charge covers several.
///
/// **Values made safe.** In every field `|` becomes `/`, `[` `(`, `]` `)`, and control characters
/// (CR, LF, TAB, …, and U+2028/U+2029) a space, so no value can end a field or a line. Then the
/// published maximum lengths, counted in Unicode code points (what a `varchar(n)` counts):
/// an identifier (INVOICE_NUMBER, CLIENT_ID, LAW_FIRM_MATTER_ID, LAW_FIRM_ID, TIMEKEEPER_ID: 20;
/// TIMEKEEPER_CLASSIFICATION: 10) that is too long stops the export with an error naming it, its
/// length and the limit, because a cut identifier could collide with another; free text
/// (descriptions 15,000, TIMEKEEPER_NAME 30) is cut at a character boundary. Text stays UTF-8
/// (an emoji in a caller's name survives whole); the format predates UTF-8 but receiving systems
/// read it.
package struct LEDES1998BWriter: ExportWriter {
    /// The 24 field names of line 2, in the format's order.
    package static let header: [String] = [
        "INVOICE_DATE", "INVOICE_NUMBER", "CLIENT_ID", "LAW_FIRM_MATTER_ID", "INVOICE_TOTAL", "BILLING_START_DATE",
        "BILLING_END_DATE", "INVOICE_DESCRIPTION", "LINE_ITEM_NUMBER", "EXP/FEE/INV_ADJ_TYPE", "LINE_ITEM_NUMBER_OF_UNITS",
        "LINE_ITEM_ADJUSTMENT_AMOUNT", "LINE_ITEM_TOTAL", "LINE_ITEM_DATE", "LINE_ITEM_TASK_CODE", "LINE_ITEM_EXPENSE_CODE",
        "LINE_ITEM_ACTIVITY_CODE", "TIMEKEEPER_ID", "LINE_ITEM_DESCRIPTION", "LAW_FIRM_ID", "LINE_ITEM_UNIT_COST",
        "TIMEKEEPER_NAME", "TIMEKEEPER_CLASSIFICATION", "CLIENT_MATTER_ID",
    ]
    /// UTBMS activity code of a fee: A106, communicate (with client).
    package static let feeActivityCode = "A106"
    /// UTBMS expense code of carrier cost: E105, telephone.
    package static let expenseCode = "E105"

    static let identifierLimit = 20
    static let classificationLimit = 10
    static let timekeeperNameLimit = 30
    static let descriptionLimit = 15_000
    /// Decimals the format allows: LINE_ITEM_NUMBER_OF_UNITS and LINE_ITEM_UNIT_COST are 10.4;
    /// the totals 14.2.
    static let unitScale = 4
    static let totalScale = 2

    private static let lineEnd: [UInt8] = Array("[]\r\n".utf8)

    private let firm: Firm
    private let period: ExportPeriod
    /// LAW_FIRM_ID, checked at the first charge.
    private var lawFirmID: String?
    /// The invoice being collected.
    private var invoice: Invoice?
    /// Invoices written (or empty and closed), to refuse charges out of export order.
    private var closed: Set<InvoiceKey> = []

    package init(firm: Firm, period: ExportPeriod) {
        self.firm = firm
        self.period = period
    }

    package mutating func start(into output: inout [UInt8]) {
        output += Array("LEDES1998B".utf8) + Self.lineEnd
        Self.appendLine(Self.header, to: &output)
    }

    package mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError) {
        let key = InvoiceKey(clientID: charge.clientID, matterID: charge.matterID, currency: charge.currency)
        if self.invoice?.key != key {
            self.flush(into: &output)
            guard !self.closed.contains(key) else {
                throw ExportError(
                    "charge \(charge.chargeID): client \(charge.clientID), matter \(charge.matterID ?? "(none)"), \(charge.currency) "
                        + "comes after its invoice was written; charges must be in export order (client, matter, currency, …)"
                )
            }
            self.invoice = try self.openInvoice(for: charge, key: key)
        }
        if charge.kind == .fee, charge.billedSeconds == 0 { return }
        let line = try self.line(for: charge, number: self.invoice!.lines.count + 1)
        self.invoice!.lines.append(line.fields)
        self.invoice!.total = self.invoice!.total.adding(line.total)
    }

    package mutating func finish(into output: inout [UInt8]) throws(ExportError) {
        self.flush(into: &output)
    }

    // MARK: Invoices

    private struct InvoiceKey: Hashable {
        var clientID: String
        var matterID: String?
        var currency: String
    }

    private struct Invoice {
        var key: InvoiceKey
        /// INVOICE_DATE … INVOICE_DESCRIPTION, with INVOICE_TOTAL (index 4) set when written.
        var head: [String]
        /// LINE_ITEM_NUMBER … CLIENT_MATTER_ID of each line.
        var lines: [[String]] = []
        var total: ExactDecimal
    }

    private mutating func openInvoice(for charge: ExportCharge, key: InvoiceKey) throws(ExportError) -> Invoice {
        if self.lawFirmID == nil {
            guard !self.firm.lawFirmID.isEmpty else {
                throw ExportError("LEDES 1998B needs LAW_FIRM_ID (the firm's tax ID): set SMDR_LAW_FIRM_ID")
            }
            self.lawFirmID = try Self.identifier(self.firm.lawFirmID, field: "LAW_FIRM_ID", what: "the firm's id (SMDR_LAW_FIRM_ID)")
        }
        let minorUnit = Currency.minorUnit(of: charge.currency) ?? charge.amount.scale
        guard minorUnit <= Self.totalScale else {
            throw ExportError(
                "charge \(charge.chargeID): LEDES 1998B amounts have at most \(Self.totalScale) decimals and \(charge.currency) has "
                    + "\(minorUnit); export this client as csv or jsonl"
            )
        }
        let clientID = try Self.identifier(charge.clientID, field: "CLIENT_ID", what: "client id")
        let matterID = try Self.identifier(charge.matterID ?? charge.clientID, field: "LAW_FIRM_MATTER_ID", what: "matter id")
        let number = Self.invoiceNumber(clientID: charge.clientID, matterID: charge.matterID, currency: charge.currency, period: self.period)
        let clientName = charge.clientName.isEmpty ? charge.clientID : charge.clientName
        var description = "Telephone time, " + clientName
        if let matterID = charge.matterID {
            description += " — " + ((charge.matterName ?? "").isEmpty ? matterID : charge.matterName!)
        }
        description += ", \(self.period.from) to \(self.period.to), \(charge.currency)"
        let head = [
            Self.date(self.period.invoiceDate), number, clientID, matterID, "", Self.date(self.period.from), Self.date(self.period.to),
            Self.text(description, limit: Self.descriptionLimit),
        ]
        return Invoice(key: key, head: head, total: .zero(scale: minorUnit))
    }

    /// Writes the invoice collected, if it has lines, each with its total.
    private mutating func flush(into output: inout [UInt8]) {
        guard var invoice = self.invoice else { return }
        self.invoice = nil
        self.closed.insert(invoice.key)
        invoice.head[4] = invoice.total.description
        for line in invoice.lines {
            Self.appendLine(invoice.head + line, to: &output)
        }
    }

    // MARK: Lines

    private func line(for charge: ExportCharge, number: Int) throws(ExportError) -> (fields: [String], total: ExactDecimal) {
        guard charge.amount.scale <= Self.totalScale else {
            throw ExportError("charge \(charge.chargeID): amount \(charge.amount) has more than \(Self.totalScale) decimals")
        }
        var timekeeperID = ""
        var timekeeperName = ""
        var classification = ""
        if let id = charge.timekeeperID {
            timekeeperID = try Self.identifier(id, field: "TIMEKEEPER_ID", what: "timekeeper id")
            timekeeperName = Self.text(charge.timekeeperName, limit: Self.timekeeperNameLimit)
            classification = try Self.identifier(
                charge.timekeeperClassification ?? "", field: "TIMEKEEPER_CLASSIFICATION", what: "classification of timekeeper \(id)",
                limit: Self.classificationLimit, required: false
            )
        }
        let type: String
        let units: ExactDecimal
        let unitCost: ExactDecimal
        let adjustment: ExactDecimal
        let activity: String
        let expense: String
        switch charge.kind {
        case .fee:
            guard charge.timekeeperID != nil else {
                throw ExportError(
                    "charge \(charge.chargeID): \(charge.timekeeperName) is not a registered timekeeper, and a LEDES fee line needs "
                        + "TIMEKEEPER_ID, _NAME and _CLASSIFICATION: add them with `smdr register import timekeepers`"
                )
            }
            guard !classification.isEmpty, !timekeeperName.trimmingSpaces.isEmpty else {
                throw ExportError(
                    "charge \(charge.chargeID): timekeeper \(charge.timekeeperID!) has no \(classification.isEmpty ? "classification" : "name"), "
                        + "which a LEDES fee line needs (PT, AS, …): set it with `smdr register import timekeepers`"
                )
            }
            guard let rate = charge.hourlyRate else {
                throw ExportError("charge \(charge.chargeID): a fee without an hourly rate cannot be a LEDES fee line")
            }
            type = "F"
            units = charge.billedHours.rounded(toScale: Self.unitScale)
            unitCost = rate.rounded(toScale: Self.unitScale)
            adjustment = charge.amount.subtracting(units.multiplied(by: unitCost).rounded(toScale: charge.amount.scale))
            activity = Self.feeActivityCode
            expense = ""
        case .expense:
            type = "E"
            units = ExactDecimal(units: 1, scale: 0)
            unitCost = charge.amount
            adjustment = .zero(scale: charge.amount.scale)
            activity = ""
            expense = Self.expenseCode
        }
        try Self.check(units, fits: 10, scale: Self.unitScale, field: "LINE_ITEM_NUMBER_OF_UNITS", charge: charge)
        try Self.check(unitCost, fits: 10, scale: Self.unitScale, field: "LINE_ITEM_UNIT_COST", charge: charge)
        try Self.check(adjustment, fits: 10, scale: Self.unitScale, field: "LINE_ITEM_ADJUSTMENT_AMOUNT", charge: charge)
        try Self.check(charge.amount, fits: 14, scale: Self.totalScale, field: "LINE_ITEM_TOTAL", charge: charge)
        let fields = [
            String(number), type, units.description, adjustment.description, charge.amount.description, Self.date(charge.chargeDate),
            "", expense, activity, timekeeperID, Self.text(Self.description(of: charge), limit: Self.descriptionLimit),
            self.lawFirmID ?? "", unitCost.description, timekeeperName, classification, "",
        ]
        return (fields, charge.amount)
    }

    /// Words a client reads: when, with whom, how long, and the code.
    static func description(of charge: ExportCharge) -> String {
        var text = charge.kind == .expense ? "Carrier charges: telephone " : "Telephone "
        if charge.calls.isEmpty {
            text += "time \(charge.chargeDate), \(Self.minutes(charge.rawSeconds)) min"
        } else {
            text += charge.calls.count == 1 ? "call " : "calls "
            text += charge.calls.map { call in
                let party = [call.externalE164 ?? call.externalNumber, call.externalName].filter { !$0.isEmpty }.joined(separator: " ")
                let time = String(call.start.description.prefix(16))
                return "\(time) with \(party.isEmpty ? "a withheld number" : party), \(Self.minutes(call.seconds)) min"
            }.joined(separator: "; ")
        }
        return text + " (code \(charge.code))"
    }

    /// Seconds as minutes with one decimal, half-up (`420` → `7.0`, `100` → `1.7`).
    static func minutes(_ seconds: Int) -> String {
        let tenths = (seconds * 10 + 30) / 60
        return "\(tenths / 10).\(tenths % 10)"
    }

    // MARK: Values

    /// The invoice number: see the type's documentation.
    static func invoiceNumber(clientID: String, matterID: String?, currency: String, period: ExportPeriod) -> String {
        var input = Array("smdr LEDES 1998B invoice\n".utf8)
        func field(_ text: String) {
            input += String(text.utf8.count).utf8
            input.append(UInt8(ascii: ":"))
            input += text.utf8
        }
        field(clientID)
        if let matterID {
            input.append(UInt8(ascii: "M"))
            field(matterID)
        } else {
            input.append(UInt8(ascii: "-"))
        }
        field(currency)
        field(period.from.description)
        field(period.to.description)
        let digest = SHA256.hash(input)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var characters: [UInt8] = []
        for index in 0..<13 {
            // Bits 5·index ..< 5·index + 5 of the digest, most significant first.
            let bit = index * 5
            let pair = UInt16(digest[bit / 8]) << 8 | UInt16(digest[bit / 8 + 1])
            characters.append(alphabet[Int(pair >> (11 - UInt16(bit % 8)) & 0x1F)])
        }
        let end = period.to
        return Self.pad(end.year, 4) + Self.pad(end.month, 2) + "-" + String(decoding: characters, as: UTF8.self)
    }

    /// `|` → `/`, `[` → `(`, `]` → `)`, control characters and U+2028/U+2029 → space.
    static func safe(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7C: result.append("/")
            case 0x5B: result.append("(")
            case 0x5D: result.append(")")
            case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: result.append(" ")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// Free text made safe and cut to `limit` code points at a character boundary.
    static func text(_ value: String, limit: Int) -> String {
        let value = Self.safe(value)
        guard value.unicodeScalars.count > limit else { return value }
        var count = 0
        var end = value.startIndex
        for character in value {
            let size = character.unicodeScalars.count
            guard count + size <= limit else { break }
            count += size
            end = value.index(after: end)
        }
        return String(value[..<end])
    }

    /// An identifier made safe; too long (or empty when `required`) is an error, never a cut.
    static func identifier(
        _ value: String, field: String, what: String, limit: Int = Self.identifierLimit, required: Bool = true
    ) throws(ExportError) -> String {
        let safe = Self.safe(value)
        let length = safe.unicodeScalars.count
        guard length <= limit else {
            throw ExportError(
                "\(what) \"\(safe)\" has \(length) characters; LEDES 1998B \(field) allows at most \(limit) "
                    + "(an identifier is never cut: two could collide): shorten it in the register"
            )
        }
        guard !required || !safe.trimmingSpaces.isEmpty else {
            throw ExportError("\(what) is empty; LEDES 1998B \(field) is required")
        }
        return safe
    }

    /// A number the format holds as `precision.scale` (digits in all, of them after the point).
    private static func check(
        _ value: ExactDecimal, fits precision: Int, scale: Int, field: String, charge: ExportCharge
    ) throws(ExportError) {
        let digits = String(value.units.magnitude).count
        let integerDigits = max(digits - value.scale, 0)
        guard value.scale <= scale, integerDigits <= precision - scale else {
            throw ExportError("charge \(charge.chargeID): \(field) \(value) does not fit LEDES 1998B's \(precision).\(scale)")
        }
    }

    /// `YYYYMMDD`.
    static func date(_ date: LocalDate) -> String {
        Self.pad(date.year, 4) + Self.pad(date.month, 2) + Self.pad(date.day, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func appendLine(_ fields: [String], to output: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "|")) }
            output += field.utf8
        }
        output += Self.lineEnd
    }
}

extension String {
    /// Without leading and trailing spaces (U+0020), for "is it blank".
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
