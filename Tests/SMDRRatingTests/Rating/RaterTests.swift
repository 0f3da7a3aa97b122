import SMDRCore
import SMDRRating
import Testing

/// The issue's table of rating cases, worked out by hand: one line per charge,
/// `PLAN TIMEKEEPER billed_seconds s billed_hours h amount CURRENCY`, in the rater's order.
@Suite struct RaterTests {
    private typealias F = RatingFixture

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var plans: [RatePlan]
        /// `nil`: every plan is the site default of every site.
        var rates: [RateAssignment]?
        var legs: [RateLeg]
        var expected: [String]
        var testDescription: String { self.name }
    }

    static func line(_ charge: Charge) -> String {
        "\(charge.planID) \(charge.timekeeperID ?? "-") \(charge.billedSeconds) s \(charge.billedHours) h \(charge.amount) \(charge.currency)"
    }

    static let fourThreeMinuteCalls = (1...4).map { F.leg(call: $0, start: "2026-04-01 \(10 + $0):00:00", talk: 180) }

    static let cases: [Case] = [
        Case(
            name: "0.1 h up: 7 minutes bill 0.2 h", plans: [F.plan("STD", "250.00")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 420)], expected: ["STD TK1 720 s 0.2 h 50.00 GBP"]),
        Case(
            name: "nearest: 179 s bills nothing", plans: [F.plan("NEAR", "250.00", rounding: .nearest)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 179)], expected: ["NEAR TK1 0 s 0.0 h 0.00 GBP"]),
        Case(
            name: "nearest: 180 s bills 0.1 h", plans: [F.plan("NEAR", "250.00", rounding: .nearest)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 180)], expected: ["NEAR TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "client_day: four 3-minute calls bill 0.2 h", plans: [F.plan("DAY", "250.00", rounding: .nearest, scope: .clientDay)],
            legs: fourThreeMinuteCalls, expected: ["DAY TK1 720 s 0.2 h 50.00 GBP"]),
        Case(
            name: "leg: the same four calls bill 4 × 0.1 h", plans: [F.plan("NEAR", "250.00", rounding: .nearest)],
            legs: fourThreeMinuteCalls, expected: Array(repeating: "NEAR TK1 360 s 0.1 h 25.00 GBP", count: 4)),
        Case(
            name: "minimum 0.2 h: raises 60 s, leaves 800 s", plans: [F.plan("MIN", "250.00", minimum: 720)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 60), F.leg(call: 2, start: "2026-04-01 11:00:00", talk: 800)],
            expected: ["MIN TK1 720 s 0.2 h 50.00 GBP", "MIN TK1 1080 s 0.3 h 75.00 GBP"]),
        Case(
            name: "grace 30 s: 29 s not billed, 30 s billed", plans: [F.plan("GRACE", "250.00", grace: 30)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 29), F.leg(call: 2, start: "2026-04-01 11:00:00", talk: 30)],
            expected: ["GRACE TK1 0 s 0.0 h 0.00 GBP", "GRACE TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "rate 333.33: 33.333 → 33.33, 66.666 → 66.67", plans: [F.plan("ODD", "333.33")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300), F.leg(call: 2, start: "2026-04-01 11:00:00", talk: 420)],
            expected: ["ODD TK1 360 s 0.1 h 33.33 GBP", "ODD TK1 720 s 0.2 h 66.67 GBP"]),
        Case(
            name: "rate change at midnight: the call's start decides",
            plans: [F.plan("OLD", "250.00"), F.plan("NEW", "300.00")],
            rates: [
                RateAssignment(planID: "OLD", effectiveTo: F.time("2026-04-02 00:00:00")),
                RateAssignment(planID: "NEW", effectiveFrom: F.time("2026-04-02 00:00:00")),
            ],
            legs: [
                F.leg(call: 1, start: "2026-04-01 23:59:59", talk: 300),
                // A later leg of the same call starting after midnight (Call Splitting) keeps the call's plan.
                F.leg(call: 1, start: "2026-04-01 23:59:59", ordinal: 1, legStart: "2026-04-02 00:00:30", talk: 60),
                F.leg(call: 2, start: "2026-04-02 00:00:00", talk: 300),
            ],
            expected: ["OLD TK1 360 s 0.1 h 25.00 GBP", "OLD TK1 360 s 0.1 h 25.00 GBP", "NEW TK1 360 s 0.1 h 30.00 GBP"]),
        Case(
            name: "client+timekeeper beats client, client beats timekeeper",
            plans: [F.plan("STD", "250.00"), F.plan("PARTNER", "400.00"), F.plan("JUNIOR", "100.00")],
            rates: [
                RateAssignment(planID: "STD", clientID: "ACME"), RateAssignment(planID: "PARTNER", clientID: "ACME", timekeeperID: "TK1"),
                RateAssignment(planID: "JUNIOR", timekeeperID: "TK2"),
            ],
            legs: [
                F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300),
                F.leg(call: 2, start: "2026-04-01 11:00:00", talk: 300, timekeeper: "TK2", user: "Eli Eve", extension: "302"),
            ],
            expected: ["PARTNER TK1 360 s 0.1 h 40.00 GBP", "STD TK2 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "matter+timekeeper beats everything, each kind in its turn",
            plans: [
                F.plan("SITE", "100.00"), F.plan("TKP", "200.00"), F.plan("CLI", "250.00"), F.plan("CTK", "300.00"),
                F.plan("MAT", "350.00"), F.plan("MTK", "500.00"),
            ],
            rates: [
                RateAssignment(planID: "SITE", site: "demo"), RateAssignment(planID: "TKP", timekeeperID: "TK1"),
                RateAssignment(planID: "CLI", clientID: "ACME"), RateAssignment(planID: "CTK", clientID: "ACME", timekeeperID: "TK1"),
                RateAssignment(planID: "MAT", clientID: "ACME", matterID: "ACME-001"),
                RateAssignment(planID: "MTK", clientID: "ACME", matterID: "ACME-001", timekeeperID: "TK1"),
            ],
            legs: [
                F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300),
                F.leg(call: 2, start: "2026-04-01 11:00:00", talk: 300, timekeeper: "TK2"),
                F.leg(call: 3, start: "2026-04-01 12:00:00", talk: 300, matter: "ACME-002"),
                F.leg(call: 4, start: "2026-04-01 13:00:00", talk: 300, matter: "ACME-002", timekeeper: "TK2"),
                F.leg(call: 5, start: "2026-04-01 14:00:00", talk: 300, client: "BETA", matter: nil, code: "4200"),
                F.leg(call: 6, start: "2026-04-01 15:00:00", talk: 300, client: "BETA", matter: nil, code: "4200", timekeeper: "TK2"),
            ],
            expected: [
                "MTK TK1 360 s 0.1 h 50.00 GBP", "MAT TK2 360 s 0.1 h 35.00 GBP", "CTK TK1 360 s 0.1 h 30.00 GBP",
                "CLI TK2 360 s 0.1 h 25.00 GBP", "TKP TK1 360 s 0.1 h 20.00 GBP", "SITE TK2 360 s 0.1 h 10.00 GBP",
            ]),
        Case(
            name: "an assignment for the call's site beats one for every site",
            plans: [F.plan("ANY", "250.00"), F.plan("LOCAL", "300.00")],
            rates: [RateAssignment(planID: "ANY", clientID: "ACME"), RateAssignment(planID: "LOCAL", clientID: "ACME", site: "demo")],
            legs: [
                F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, site: 2),
                F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, site: 1),
            ],
            expected: ["LOCAL TK1 360 s 0.1 h 30.00 GBP", "ANY TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "hold billed: 300 + 90 s → 0.2 h", plans: [F.plan("HOLD", "250.00", hold: true)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, hold: 90)], expected: ["HOLD TK1 720 s 0.2 h 50.00 GBP"]),
        Case(
            name: "hold not billed: 300 s → 0.1 h", plans: [F.plan("TALK", "250.00")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, hold: 90)], expected: ["TALK TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "call scope: a call transferred TK1 → TK2 → TK1 bills each their own time",
            plans: [F.plan("CALL", "250.00", scope: .call)],
            legs: [
                F.leg(call: 1, start: "2026-04-01 10:00:00", ordinal: 0, talk: 200),
                F.leg(call: 1, start: "2026-04-01 10:00:00", ordinal: 1, talk: 400, timekeeper: "TK2", user: "Eli Eve", extension: "302"),
                F.leg(call: 1, start: "2026-04-01 10:00:00", ordinal: 2, talk: 100),
            ],
            expected: ["CALL TK1 360 s 0.1 h 25.00 GBP", "CALL TK2 720 s 0.2 h 50.00 GBP"]),
        Case(
            name: "client_day on the day clocks go forward: one local date, one charge",
            plans: [F.plan("DAY", "250.00", rounding: .nearest, scope: .clientDay)],
            legs: [
                F.leg(call: 1, start: "2026-03-29 00:30:00", talk: 180), F.leg(call: 2, start: "2026-03-29 03:30:00", talk: 180),
                F.leg(call: 3, start: "2026-03-30 00:30:00", talk: 180),
            ],
            expected: ["DAY TK1 360 s 0.1 h 25.00 GBP", "DAY TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "JPY has no decimals: 0.3 h × 20000 = 6000", plans: [F.plan("YEN", "20000", "JPY")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 1000)], expected: ["YEN TK1 1080 s 0.3 h 6000 JPY"]),
        Case(
            name: "JPY half-up: 0.1 h × 12345 = 1234.5 → 1235", plans: [F.plan("YEN", "12345", "JPY")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 360)], expected: ["YEN TK1 360 s 0.1 h 1235 JPY"]),
        Case(
            name: "BHD has three decimals: 0.1 h × 33.335 = 3.3335 → 3.334", plans: [F.plan("DINAR", "33.335", "BHD")],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 100)], expected: ["DINAR TK1 360 s 0.1 h 3.334 BHD"]),
        Case(
            name: "down: 700 s → 0.1 h", plans: [F.plan("DOWN", "250.00", rounding: .down)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 700)], expected: ["DOWN TK1 360 s 0.1 h 25.00 GBP"]),
        Case(
            name: "5-minute increments: 300 s = 0.083333 h, the amount from seconds (120 × 300 / 3600 = 10.00)",
            plans: [F.plan("FIVE", "120.00", increment: 300)],
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 200)], expected: ["FIVE TK1 300 s 0.083333 h 10.00 GBP"]),
    ]

    @Test(arguments: cases)
    func ratesToTheCent(_ testCase: Case) {
        let rater = F.rater(testCase.plans, rates: testCase.rates)
        let result = rater.rate(testCase.legs)
        #expect(result.charges.map(Self.line) == testCase.expected)
        #expect(result.unrated.isEmpty)
    }
}
