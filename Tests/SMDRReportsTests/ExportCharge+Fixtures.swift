import SMDRCore
import SMDRRating
import SMDRReports

/// Charges and calls for the export tests, with every field defaulted to a plain fee.
extension ExportCharge {
    static func fixture(
        id: Int64 = 1, kind: Charge.Kind = .fee, clientID: String = "ACME", clientName: String = "Acme Ltd",
        matterID: String? = nil, matterName: String? = nil, code: String = "1001", timekeeperID: String? = "TK1",
        timekeeperName: String = "Jane Roe", classification: String? = "PT", date: LocalDate = LocalDate(year: 2026, month: 4, day: 1),
        rawSeconds: Int = 420, billedSeconds: Int = 720, billedHours: ExactDecimal = ExactDecimal(units: 2, scale: 1),
        rate: ExactDecimal? = ExactDecimal(units: 30000, scale: 2), amount: ExactDecimal = ExactDecimal(units: 6000, scale: 2),
        currency: String = "GBP", trace: String = "420 s talk + 0 s hold; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00",
        blocked: Bool = false, closed: Bool = false, calls: [ExportCall]? = nil, invoiceTotal: ExactDecimal? = nil
    ) -> ExportCharge {
        let calls = calls ?? [ExportCall.fixture()]
        return ExportCharge(
            chargeID: id, ratingRun: 7, kind: kind, site: "London", clientID: clientID, clientName: clientName, matterID: matterID,
            matterName: matterName, code: code, timekeeperID: timekeeperID, timekeeperName: timekeeperName,
            timekeeperClassification: classification, chargeDate: date, scope: "call", callCount: calls.count, legCount: calls.count,
            rawSeconds: kind == .expense ? 0 : rawSeconds, billedSeconds: kind == .expense ? 0 : billedSeconds,
            billedHours: kind == .expense ? ExactDecimal(units: 0, scale: 1) : billedHours, hourlyRate: kind == .expense ? nil : rate,
            amount: amount, currency: currency, planID: "standard", rule: "code", trace: trace, blocked: blocked,
            firstStartLocal: calls.first?.start ?? LocalDateTime(year: date.year, month: date.month, day: date.day, hour: 0, minute: 0),
            closed: closed, calls: calls, invoiceTotal: invoiceTotal
        )
    }
}

extension ExportCall {
    static func fixture(
        id: Int = 1_000_001, start: LocalDateTime = LocalDateTime(year: 2026, month: 4, day: 1, hour: 9, minute: 0, second: 5),
        direction: String = "I", number: String = "02079460000", e164: String? = "+442079460000", name: String = "Acme Ltd",
        seconds: Int = 420
    ) -> ExportCall {
        ExportCall(callID: id, start: start, direction: direction, externalNumber: number, externalE164: e164, externalName: name, seconds: seconds)
    }
}

/// `charges` with each `invoiceTotal` not given set as the export query sets it: the sum of the
/// amounts of the charges of the same client, matter and currency, keys compared as UTF-8 bytes
/// (as PostgreSQL compares text; Swift's `==` would join `é` and `e\u{301}`).
func withInvoiceTotals(_ charges: [ExportCharge]) -> [ExportCharge] {
    func key(_ charge: ExportCharge) -> [[UInt8]?] {
        [Array(charge.clientID.utf8), charge.matterID.map { Array($0.utf8) }, Array(charge.currency.utf8)]
    }
    var totals: [[[UInt8]?]: ExactDecimal] = [:]
    for charge in charges { totals[key(charge)] = (totals[key(charge)] ?? .zero(scale: 0)).adding(charge.amount) }
    return charges.map { charge in
        var charge = charge
        if charge.invoiceTotal == nil { charge.invoiceTotal = totals[key(charge)] }
        return charge
    }
}

/// Runs `writer` over `charges` as `smdr export` does, emptying the buffer after each charge.
func export(_ charges: [ExportCharge], with writer: some ExportWriter) throws(ExportError) -> [UInt8] {
    var writer = writer
    var file: [UInt8] = []
    var output: [UInt8] = []
    writer.start(into: &output)
    for charge in charges {
        try writer.append(charge, into: &output)
        file += output
        output.removeAll(keepingCapacity: true)
    }
    try writer.finish(into: &output)
    return file + output
}

/// The caller names the issue lists, and the formula starts OWASP lists, each with whether a
/// spreadsheet-safe cell must be prefixed with `'`.
let hostileTexts: [(text: String, neutralised: Bool)] = [
    ("=HYPERLINK(\"x\")", true), ("+1", true), ("-2+3", true), ("@SUM(A1)", true), ("\t=1", true), ("  =1", true),
    ("\u{FF1D}1", true), ("\u{FF0B}1", true), ("\u{FF0D}1", true), ("\u{FF20}1", true), ("\r\n=1", true), ("\n=1", true),
    ("<script>alert(1)</script>", false), ("|[]", false), ("'", false), ("\"", false), ("a\r\nb", false),
    ("👩‍⚖️", false), ("Zoë O'Brien, \"QC\"", false), ("", false), ("   ", false), ("1-2", false),
]
