import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRRating
import Testing

/// The `plans` and `rates` files parsed without a database: every bad cell named with its line,
/// column and the expected form; bounds and decimals written back as imported.
@Suite struct RateFileCSVTests {
    private static func problems(_ kind: RegisterKind, _ row: String) -> [String] {
        let text = kind.columns.joined(separator: ",") + "\n" + row + "\n"
        return RegisterCSV.parse(kind, Array(text.utf8)).problems.map { $0.formatted(file: "\(kind.rawValue).csv") }
    }

    struct BadRow: Sendable, CustomTestStringConvertible {
        let kind: RegisterKind
        let row: String
        let message: String
        var testDescription: String { self.message }
    }

    static let decimalExpected = "a decimal of at least 0 with at most 4 decimals (250.00)"
    static let markupExpected = "a decimal of at least -100 with at most 4 decimals (15 adds 15 %), or empty"
    static let identifierExpected = "an identifier of 1 to 64 characters"

    static let badRows: [BadRow] = [
        // plans: one per column at least.
        BadRow(kind: .plans, row: ",250.00,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column plan_id: empty; expected \(identifierExpected)"),
        BadRow(kind: .plans, row: "STD,,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column hourly_rate: empty; expected \(decimalExpected)"),
        BadRow(kind: .plans, row: "STD,-1,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column hourly_rate: -1 is less than 0; expected \(decimalExpected)"),
        BadRow(kind: .plans, row: "STD,250.00001,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column hourly_rate: 250.00001 has 5 decimals; expected \(decimalExpected)"),
        BadRow(kind: .plans, row: "STD,£250,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column hourly_rate: '£250' is not a decimal; expected \(decimalExpected)"),
        BadRow(kind: .plans, row: "STD,250.,GBP,360,0,0,up,leg,false,", message: "plans.csv:2: column hourly_rate: '250.' is not a decimal; expected \(decimalExpected)"),
        BadRow(
            kind: .plans, row: "STD,250.00,XYZ,360,0,0,up,leg,false,",
            message: "plans.csv:2: column currency: 'XYZ' is not an ISO 4217 currency; expected an ISO 4217 currency code in capitals (GBP, EUR, USD, JPY)"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,gbp,360,0,0,up,leg,false,",
            message: "plans.csv:2: column currency: 'gbp' is not an ISO 4217 currency; expected an ISO 4217 currency code in capitals (GBP, EUR, USD, JPY)"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,0,0,0,up,leg,false,",
            message: "plans.csv:2: column increment_seconds: 0 is out of range; expected whole seconds from 1 to 86400 (360 = 0.1 h)"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,6m,0,0,up,leg,false,",
            message: "plans.csv:2: column increment_seconds: '6m' is not a whole number of seconds; expected whole seconds from 1 to 86400 (360 = 0.1 h)"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,-5,0,up,leg,false,",
            message: "plans.csv:2: column minimum_seconds: '-5' is not a whole number of seconds; expected whole seconds from 0 to 86400"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,86401,up,leg,false,",
            message: "plans.csv:2: column grace_seconds: 86401 is out of range; expected whole seconds from 0 to 86400"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,0,ceiling,leg,false,",
            message: "plans.csv:2: column rounding: 'ceiling' is not one of them; expected up, nearest or down"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,0,up,day,false,",
            message: "plans.csv:2: column scope: 'day' is not one of them; expected leg, call or client_day"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,0,up,leg,sometimes,",
            message: "plans.csv:2: column bill_hold_time: 'sometimes' is not true or false; expected true or false (also yes/no, 1/0), or empty for false"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,0,up,leg,false,-100.5",
            message: "plans.csv:2: column carrier_markup_percent: -100.5 is less than -100; expected \(markupExpected)"
        ),
        BadRow(
            kind: .plans, row: "STD,250.00,GBP,360,0,0,up,leg,false,15%",
            message: "plans.csv:2: column carrier_markup_percent: '15%' is not a decimal; expected \(markupExpected)"
        ),
        // rates: what a file can be told without the database.
        BadRow(kind: .rates, row: ",ACME,,,,,", message: "rates.csv:2: column plan_id: empty; expected \(identifierExpected)"),
        BadRow(
            kind: .rates, row: "STD,\(String(repeating: "C", count: 65)),,,,,",
            message: "rates.csv:2: column client_id: 65 characters; expected \(identifierExpected)"
        ),
        BadRow(
            kind: .rates, row: "STD,,ACME-001,,,,",
            message: "rates.csv:2: column matter_id: ACME-001 is given without a client_id; expected a client_id with a matter_id (a matter is one client's)"
        ),
        BadRow(
            kind: .rates, row: "STD,,,\(String(repeating: "T", count: 65)),,,",
            message: "rates.csv:2: column timekeeper_id: 65 characters; expected \(identifierExpected)"
        ),
        BadRow(
            kind: .rates, row: "STD,,,,demo,2026-04-01T09:00,",
            message: "rates.csv:2: column effective_from: 2026-04-01T09:00 is not a date or time; expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local time at the call's site), or empty"
        ),
        BadRow(
            kind: .rates, row: "STD,,,,demo,,2026-04-01 24:00",
            message: "rates.csv:2: column effective_to: 2026-04-01 24:00 is not a date or time; expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local time at the call's site), or empty"
        ),
        BadRow(
            kind: .rates, row: "STD,,,,demo,2026-02-29,",
            message: "rates.csv:2: column effective_from: 2026-02-29 is not a date or time; expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local time at the call's site), or empty"
        ),
        BadRow(
            kind: .rates, row: "STD,ACME,,,,2026-04-01 09:30,2026-04-01 09:30",
            message: "rates.csv:2: column effective_to: 2026-04-01 09:30 is not after effective_from 2026-04-01 09:30; expected a time after effective_from (exclusive), or empty"
        ),
        BadRow(
            kind: .rates, row: "STD,ACME,,,,2026-04-02,2026-04-01 23:59",
            message: "rates.csv:2: column effective_to: 2026-04-01 23:59 is not after effective_from 2026-04-02; expected a time after effective_from (exclusive), or empty"
        ),
    ]

    @Test(arguments: Self.badRows)
    func badCellIsNamedWithItsLineAndColumn(_ bad: BadRow) {
        #expect(Self.problems(bad.kind, bad.row) == [bad.message])
    }

    @Test func duplicateKeysNameTheFirstLine() {
        let plans = "STD,250.00,GBP,360,0,0,up,leg,false,\nSTD,300.00,GBP,360,0,0,up,leg,false,"
        #expect(Self.problems(.plans, plans) == ["plans.csv:3: column plan_id: STD is also on line 2; expected each plan once"])
        // Same plan, target and start is one key; another start or target is another row.
        let rates = "STD,ACME,,,,2026-04-01,\nSTD,ACME,,,,2026-05-01,\nSTD,ACME,,TK1,,2026-04-01,\nSTD,ACME,,,,2026-04-01 00:00,2026-06-01"
        #expect(
            Self.problems(.rates, rates) == [
                "rates.csv:5: column effective_from: plan STD for client ACME from 2026-04-01 is also on line 2; expected each plan, target and effective_from once"
            ]
        )
    }

    @Test func plansParseIntoTheModelAndDecimalsKeepTheirScale() throws {
        let text = RegisterKind.plans.columns.joined(separator: ",") + "\r\n"
            + "JPY1,30000,JPY,60,120,30,nearest,client_day,TRUE,0\r\n"
            + "STD,333.3300,GBP,360,0,0,down,call,,-12.5\r\n"
        let parsed = RegisterCSV.parse(.plans, Array(text.utf8))
        #expect(parsed.problems.isEmpty)
        let expected: RegisterRows = .plans([
            RegisterRow(
                line: 2,
                value: RatePlan(
                    id: "JPY1", hourlyRate: ExactDecimal(units: 30000, scale: 0), currency: "JPY", incrementSeconds: 60, minimumSeconds: 120,
                    graceSeconds: 30, rounding: .nearest, scope: .clientDay, billHoldTime: true, carrierMarkupPercent: ExactDecimal(units: 0, scale: 0)
                )
            ),
            RegisterRow(
                line: 3,
                value: RatePlan(
                    id: "STD", hourlyRate: ExactDecimal(units: 3_333_300, scale: 4), currency: "GBP", incrementSeconds: 360, minimumSeconds: 0,
                    graceSeconds: 0, rounding: .down, scope: .call, billHoldTime: false, carrierMarkupPercent: ExactDecimal(units: -125, scale: 1)
                )
            ),
        ])
        #expect(parsed.rows == expected)
        // Written back with true/false and the decimals as written.
        let written = String(decoding: RegisterCSV.write(parsed.rows), as: UTF8.self)
        #expect(written == text.replacingOccurrences(of: "TRUE", with: "true").replacingOccurrences(of: ",,-12.5", with: ",false,-12.5"))
    }

    @Test func rateBoundsAreLocalDatesOrMinutesAndMidnightIsWrittenAsADate() throws {
        let text = RegisterKind.rates.columns.joined(separator: ",") + "\n"
            + "STD,,,,demo,,\n"
            + "PARTNER,ACME,ACME-001,TK1,,2026-03-29 01:30,2026-04-01 00:00\n"
        let parsed = RegisterCSV.parse(.rates, Array(text.utf8))
        #expect(parsed.problems.isEmpty)
        let expected: RegisterRows = .rates([
            RegisterRow(line: 2, value: RateAssignment(planID: "STD", site: "demo")),
            RegisterRow(
                line: 3,
                value: RateAssignment(
                    planID: "PARTNER", clientID: "ACME", matterID: "ACME-001", timekeeperID: "TK1",
                    effectiveFrom: LocalDateTime(year: 2026, month: 3, day: 29, hour: 1, minute: 30),
                    effectiveTo: LocalDateTime(year: 2026, month: 4, day: 1, hour: 0, minute: 0)
                )
            ),
        ])
        #expect(parsed.rows == expected)
        #expect(
            String(decoding: RegisterCSV.write(parsed.rows), as: UTF8.self)
                == "plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to\r\nSTD,,,,demo,,\r\nPARTNER,ACME,ACME-001,TK1,,2026-03-29 01:30,2026-04-01\r\n"
        )
    }
}
