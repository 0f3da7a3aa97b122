import SMDRCore
import SMDRRating
import SMDRReports

/// A hand-made statement: a client with charges without a matter (one billed at 0 s), two
/// matters, a client_day charge of three calls, expenses, in GBP and EUR. The totals the tests
/// expect were worked out by hand from these values (see each test).
enum StatementFixture {
    static let firm = Firm(name: "Smith & Jones LLP", address: ["1 High Street", "London EC1A 1AA"], lawFirmID: "GB123")

    static func call(_ id: Int, day: Int, _ hour: Int, _ minute: Int, number: String, name: String, seconds: Int) -> ExportCall {
        ExportCall(
            callID: id, start: LocalDateTime(year: 2026, month: 4, day: day, hour: hour, minute: minute), direction: "O",
            externalNumber: number, externalE164: nil, externalName: name, seconds: seconds)
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    static func charge(
        _ id: Int64, _ kind: Charge.Kind = .fee, matter: (id: String, name: String)? = nil, code: String, timekeeper: String = "Ann Smith",
        day: Int, scope: String = "call", raw: Int, billed: Int, hours: ExactDecimal, rate: ExactDecimal?, amount: ExactDecimal,
        currency: String = "GBP", trace: String = "", calls: [ExportCall], clientID: String = "ACME", clientName: String = "Acme Ltd"
    ) -> ExportCharge {
        ExportCharge(
            chargeID: id, ratingRun: 7, kind: kind, site: "london", clientID: clientID, clientName: clientName,
            matterID: matter?.id, matterName: matter?.name, code: code, timekeeperID: "T1", timekeeperName: timekeeper,
            timekeeperClassification: "PT", chargeDate: LocalDate(year: 2026, month: 4, day: day), scope: scope,
            callCount: calls.count, legCount: calls.count, rawSeconds: raw, billedSeconds: billed, billedHours: hours,
            hourlyRate: rate, amount: amount, currency: currency, planID: "standard", rule: "code", trace: trace,
            blocked: false, firstStartLocal: calls.first?.start ?? LocalDateTime(year: 2026, month: 4, day: day, hour: 0, minute: 0),
            closed: false, calls: calls)
    }

    static func decimal(_ units: Int64, _ scale: Int) -> ExactDecimal { ExactDecimal(units: units, scale: scale) }

    static let smithVJones = (id: "M1", name: "Smith v Jones")
    static let estate = (id: "M2", name: "Estate of X")

    /// In the export order: no matter first, then M1 and M2; per matter currency, date, fees first.
    static var charges: [ExportCharge] {
        [
            // No matter, code 100: 420 s → up to 720 s = 0.2 h × 300.00 = 60.00 GBP.
            charge(
                1, code: "100", day: 2, raw: 420, billed: 720, hours: decimal(2, 1), rate: decimal(30000, 2),
                amount: decimal(6000, 2), trace: "420 s talk + 0 s hold; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00",
                calls: [call(11, day: 2, 9, 15, number: "02079460001", name: "Alice Example", seconds: 420)]),
            // No matter, code 100: 20 s, below the grace: not billed.
            charge(
                2, code: "100", day: 3, raw: 20, billed: 0, hours: decimal(0, 1), rate: decimal(30000, 2), amount: decimal(0, 2),
                trace: "20 s talk; below grace 30 s → not billed",
                calls: [call(12, day: 3, 10, 0, number: "", name: "", seconds: 20)]),
            // M1, code 201, client_day of three calls: 180 + 200 + 100 = 480 s → up to 720 s = 0.2 h × 250.00 = 50.00.
            charge(
                3, matter: smithVJones, code: "201", timekeeper: "Bob Brown", day: 6, scope: "client_day", raw: 480, billed: 720,
                hours: decimal(2, 1), rate: decimal(25000, 2), amount: decimal(5000, 2),
                calls: [
                    call(21, day: 6, 9, 0, number: "+441632960001", name: "Carol", seconds: 180),
                    call(22, day: 6, 11, 30, number: "+441632960002", name: "Dan", seconds: 200),
                    call(23, day: 6, 16, 45, number: "+441632960003", name: "Erin", seconds: 100),
                ]),
            // M1, code 202: 1000 s → up to 1080 s = 0.3 h × 300.00 = 90.00, and its carrier cost 1.45.
            charge(
                4, matter: smithVJones, code: "202", day: 7, raw: 1000, billed: 1080, hours: decimal(3, 1), rate: decimal(30000, 2),
                amount: decimal(9000, 2), calls: [call(31, day: 7, 14, 5, number: "+33142000000", name: "Frank", seconds: 1000)]),
            charge(
                5, .expense, matter: smithVJones, code: "202", day: 7, raw: 0, billed: 0, hours: decimal(0, 1), rate: nil,
                amount: decimal(145, 2), trace: "call charge 1.45 × 1.00",
                calls: [call(31, day: 7, 14, 5, number: "+33142000000", name: "Frank", seconds: 1000)]),
            // M2, code 301, EUR: 3000 s → up to 3240 s = 0.9 h × 200.00 = 180.00, and its carrier cost 0.62.
            charge(
                6, matter: estate, code: "301", timekeeper: "Cat Jones", day: 8, raw: 3000, billed: 3240, hours: decimal(9, 1),
                rate: decimal(20000, 2), amount: decimal(18000, 2), currency: "EUR",
                calls: [call(41, day: 8, 8, 30, number: "+4930123456", name: "Greta", seconds: 3000)]),
            charge(
                7, .expense, matter: estate, code: "301", timekeeper: "Cat Jones", day: 8, raw: 0, billed: 0, hours: decimal(0, 1),
                rate: nil, amount: decimal(62, 2), currency: "EUR",
                calls: [call(41, day: 8, 8, 30, number: "+4930123456", name: "Greta", seconds: 3000)]),
        ]
    }

    static func input(closedOn: LocalDate? = nil, paper: Paper = .a4, charges: [ExportCharge] = Self.charges) -> StatementInput {
        StatementInput(
            firm: Self.firm, clientID: "ACME", clientName: "Acme Ltd", month: LocalDate(year: 2026, month: 4, day: 1),
            closedOn: closedOn, charges: charges, paper: paper)
    }
}

/// Reads a page the way a person reads its tables: the rows of the first table after a heading,
/// each as the text of its cells (tags removed, `<br>` as a space, entities left as written).
enum PageText {
    static func rows(_ html: String, after heading: String) -> [[String]] {
        guard let start = html.firstRange(of: heading) else { return [] }
        let rest = html[start.upperBound...]
        guard let end = rest.firstRange(of: "</table>") else { return [] }
        let table = rest[..<end.lowerBound]
        return table.split(separator: "<tr", omittingEmptySubsequences: false).dropFirst().map { row in
            row.split(separator: "<td", omittingEmptySubsequences: false).dropFirst().map { cell in
                var text = cell[...]
                if let close = text.firstRange(of: "</td>") { text = text[..<close.lowerBound] }
                if let open = text.firstIndex(of: ">") { text = text[text.index(after: open)...] }
                return Self.strippingTags(String(text).replacing("<br>", with: " "))
            }
        }
    }

    static func strippingTags(_ text: String) -> String {
        var result = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { result.append(character) }
        }
        return result
    }
}
