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
/// so an invoice never mixes two, and INVOICE_DESCRIPTION names its currency. Client, matter and
/// currency are compared as UTF-8 bytes, as PostgreSQL compares them (Swift's `==` would make `é`
/// and `e` + U+0301 one invoice; the export query makes them two). Charges arrive in the export
/// order (``ExportWriter``), each with its invoice's total (``ExportCharge/invoiceTotal``, summed
/// by the export query in the same snapshot), so every line is written as its charge comes:
/// memory is flat however long the invoice (it keeps the key of each invoice written). A charge
/// without that total is an error. At the invoice's end (the next invoice, or ``finish(into:)``)
/// the sum of the lines written must be the total they were written with, else the export stops
/// (a guard against the query and the writer disagreeing). A client, matter and currency seen
/// again after its invoice ended is an error (the charges were not in export order), not a second
/// invoice with the same number. A file with no line item (no charges, or only fees billed 0 s) is
/// an error: the format needs at least one.
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
/// - INVOICE_TOTAL is the charge's invoice total as given, which is the exact sum of the invoice's
///   LINE_ITEM_TOTALs (checked, above). The format carries at most 2 decimals (Currency 14.2): a
///   currency with 3 (BHD, KWD) is refused rather than rounded.
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
/// **Values made safe.** `|` ends a field, `[]` and CR LF a line. An identifier (CLIENT_ID,
/// LAW_FIRM_MATTER_ID, LAW_FIRM_ID, TIMEKEEPER_ID: 20 code points; TIMEKEEPER_CLASSIFICATION: 10)
/// containing `|`, `[`, `]` or a control character (CR, LF, TAB, …, and U+2028/U+2029), or too
/// long, stops the export with an error naming the field, the value and what is expected: a
/// rewritten or cut identifier could be another's (`A|B` as `A/B`). INVOICE_NUMBER is made of
/// letters and digits whatever its inputs. In free text (descriptions, TIMEKEEPER_NAME) `|`
/// becomes `/`, `[` `(`, `]` `)`, and a control character a space, so no value can end a field or
/// a line; then it is cut at a character boundary to the published maximum (descriptions 15,000,
/// TIMEKEEPER_NAME 30), counted in Unicode code points (what a `varchar(n)` counts). Text stays
/// UTF-8 (an emoji in a caller's name survives whole); the format predates UTF-8 but receiving
/// systems read it.
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
    /// The invoice being written.
    private var invoice: Invoice?
    /// Invoices ended (written, or empty), to refuse charges out of export order.
    private var closed: Set<InvoiceKey> = []
    /// Line items written in the whole file.
    private var lineItems = 0
    /// Invoices with at least one line item, ended or being written.
    package private(set) var invoicesWritten: Int? = 0

    package init(firm: Firm, period: ExportPeriod) {
        self.firm = firm
        self.period = period
    }

    package mutating func start(into output: inout [UInt8]) {
        output += Array("LEDES1998B".utf8) + Self.lineEnd
        Self.appendLine(Self.header, to: &output)
    }

    package mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError) {
        guard let total = charge.invoiceTotal else {
            throw ExportError(
                "charge \(charge.chargeID): no invoice total (the sum of its client's, matter's and currency's amounts); "
                    + "the LEDES writer writes INVOICE_TOTAL on every line as it comes and needs it from the export query"
            )
        }
        if self.invoice?.key.matches(charge) != true {
            let key = InvoiceKey(charge)
            try self.endInvoice()
            guard !self.closed.contains(key) else {
                throw ExportError(
                    "charge \(charge.chargeID): client \(charge.clientID), matter \(charge.matterID ?? "(none)"), \(charge.currency) "
                        + "comes after its invoice was written; charges must be in export order (client, matter, currency, …)"
                )
            }
            self.invoice = try self.openInvoice(for: charge, key: key, total: total)
        }
        guard Self.same(total, self.invoice!.total) else {
            throw ExportError(
                "charge \(charge.chargeID): invoice total \(total), but invoice \(self.invoice!.number) was written with "
                    + "INVOICE_TOTAL \(self.invoice!.total): the export query gave one invoice two totals"
            )
        }
        if charge.kind == .fee, charge.billedSeconds == 0 { return }
        let fields = try self.line(for: charge, number: self.invoice!.lines + 1)
        Self.appendLine(self.invoice!.head + fields, to: &output)
        if self.invoice!.lines == 0 { self.invoicesWritten! += 1 }
        self.invoice!.lines += 1
        self.invoice!.sum = self.invoice!.sum.adding(charge.amount)
        self.lineItems += 1
    }

    package mutating func finish(into output: inout [UInt8]) throws(ExportError) {
        try self.endInvoice()
        guard self.lineItems > 0 else {
            throw ExportError(
                "no billable charges from \(self.period.from) to \(self.period.to): a LEDES 1998B file needs at least one line item"
            )
        }
    }

    // MARK: Invoices

    /// Client, matter and currency as UTF-8 bytes: what PostgreSQL's text equality compares, where
    /// Swift's `String ==` compares canonical equivalence (`é` and `e` + U+0301 are equal).
    private struct InvoiceKey: Hashable {
        var clientID: [UInt8]
        var matterID: [UInt8]?
        var currency: [UInt8]

        init(_ charge: ExportCharge) {
            self.clientID = Array(charge.clientID.utf8)
            self.matterID = charge.matterID.map { Array($0.utf8) }
            self.currency = Array(charge.currency.utf8)
        }

        /// The charge belongs to this invoice: compared without copying its strings (once a charge).
        func matches(_ charge: ExportCharge) -> Bool {
            guard self.clientID.elementsEqual(charge.clientID.utf8), self.currency.elementsEqual(charge.currency.utf8) else {
                return false
            }
            switch (self.matterID, charge.matterID) {
            case (nil, nil): return true
            case (let mine?, let theirs?): return mine.elementsEqual(theirs.utf8)
            default: return false
            }
        }
    }

    private struct Invoice {
        var key: InvoiceKey
        var number: String
        /// INVOICE_DATE … INVOICE_DESCRIPTION of every line.
        var head: [String]
        /// INVOICE_TOTAL as written.
        var total: ExactDecimal
        /// LINE_ITEM_TOTALs written so far.
        var sum: ExactDecimal
        /// Lines written so far.
        var lines = 0
    }

    private mutating func openInvoice(for charge: ExportCharge, key: InvoiceKey, total: ExactDecimal) throws(ExportError) -> Invoice {
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
        try Self.check(total, fits: 14, scale: Self.totalScale, field: "INVOICE_TOTAL", charge: charge)
        let head = [
            Self.date(self.period.invoiceDate), number, clientID, matterID, total.description, Self.date(self.period.from),
            Self.date(self.period.to), Self.text(description, limit: Self.descriptionLimit),
        ]
        return Invoice(key: key, number: number, head: head, total: total, sum: .zero(scale: minorUnit))
    }

    /// Ends the invoice being written: its lines must add up to the INVOICE_TOTAL they carry.
    private mutating func endInvoice() throws(ExportError) {
        guard let invoice = self.invoice else { return }
        self.invoice = nil
        self.closed.insert(invoice.key)
        guard Self.same(invoice.sum, invoice.total) else {
            throw ExportError(
                "invoice \(invoice.number) was written with INVOICE_TOTAL \(invoice.total) but its \(invoice.lines) line items "
                    + "add up to \(invoice.sum): the export query's invoice total and the charges written disagree "
                    + "(or the charges were not in export order)"
            )
        }
    }

    /// Equal amounts, whatever their scales (`60.00` and `60.000`).
    private static func same(_ first: ExactDecimal, _ second: ExactDecimal) -> Bool {
        first.subtracting(second).units == 0
    }

    // MARK: Lines

    /// LINE_ITEM_NUMBER … CLIENT_MATTER_ID of the charge's line.
    private func line(for charge: ExportCharge, number: Int) throws(ExportError) -> [String] {
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
        return [
            String(number), type, units.description, adjustment.description, charge.amount.description, Self.date(charge.chargeDate),
            "", expense, activity, timekeeperID, Self.text(Self.description(of: charge), limit: Self.descriptionLimit),
            self.lawFirmID ?? "", unitCost.description, timekeeperName, classification, "",
        ]
    }

    /// Words a client reads: when, with whom, how long, and the code.
    static func description(of charge: ExportCharge) -> String {
        var text = charge.kind == .expense ? "Carrier charges: telephone " : "Telephone "
        if charge.calls.isEmpty {
            text += "time \(charge.chargeDate), \(Figures.minutes(seconds: charge.rawSeconds)) min"
        } else {
            text += charge.calls.count == 1 ? "call " : "calls "
            text += charge.calls.map { call in
                let party = [call.externalE164 ?? call.externalNumber, call.externalName].filter { !$0.isEmpty }.joined(separator: " ")
                let time = String(call.start.description.prefix(16))
                return "\(time) with \(party.isEmpty ? "a withheld number" : party), \(Figures.minutes(seconds: call.seconds)) min"
            }.joined(separator: "; ")
        }
        return text + " (code \(charge.code))"
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
        return Self.date(period.to).prefix(6) + "-" + String(decoding: characters, as: UTF8.self)
    }

    /// `|` → `/`, `[` → `(`, `]` → `)`, control characters and U+2028/U+2029 → space.
    static func safe(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7C: result.append("/")
            case 0x5B: result.append("(")
            case 0x5D: result.append(")")
            case _ where Self.isControl(scalar): result.append(" ")
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// C0, DEL, C1, and the line and paragraph separators: what could end a line for some reader.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// `value` in quotes for a message, each control character as `\u{…}` so it shows.
    private static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            text += Self.isControl(scalar) ? "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" : String(scalar)
        }
        return text + "\""
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

    /// An identifier as it is, or an error: one with `|`, `[`, `]` or a control character, too
    /// long, or empty when `required`, is never rewritten or cut (it could become another's id).
    static func identifier(
        _ value: String, field: String, what: String, limit: Int = Self.identifierLimit, required: Bool = true
    ) throws(ExportError) -> String {
        guard !value.unicodeScalars.contains(where: { "|[]".unicodeScalars.contains($0) || Self.isControl($0) }) else {
            throw ExportError(
                "\(what) \(Self.quoted(value)): LEDES 1998B \(field) expects an identifier without | [ ] or a control character "
                    + "(they end a field or a line, and a rewritten id could be another's): change it in the register"
            )
        }
        let length = value.unicodeScalars.count
        guard length <= limit else {
            throw ExportError(
                "\(what) \"\(value)\" has \(length) characters; LEDES 1998B \(field) allows at most \(limit) "
                    + "(an identifier is never cut: two could collide): shorten it in the register"
            )
        }
        guard !required || !value.trimmingSpaces.isEmpty else {
            throw ExportError("\(what) is empty; LEDES 1998B \(field) is required")
        }
        return value
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

    /// `YYYYMMDD`: ``LocalDate/description`` (`YYYY-MM-DD`) without its hyphens.
    static func date(_ date: LocalDate) -> String {
        date.description.filter { $0 != "-" }
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
