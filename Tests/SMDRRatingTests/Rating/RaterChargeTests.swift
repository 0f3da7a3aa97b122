import SMDRCore
import SMDRRating
import Testing

/// What a charge says besides its amount: traces, the legs and calls it covers, expenses,
/// unrated and skipped legs, the contract firm, and a stable order.
@Suite struct RaterChargeTests {
    private typealias F = RatingFixture

    // MARK: - Traces

    struct TraceCase: Sendable, CustomTestStringConvertible {
        var name: String
        var plan: RatePlan
        var legs: [RateLeg]
        var trace: String
        var testDescription: String { self.name }
    }

    static let traceCases: [TraceCase] = [
        TraceCase(
            name: "DESIGN's example", plan: F.plan("P", "300.00"), legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 420)],
            trace: "420 s talk; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00 GBP"),
        TraceCase(
            name: "legs summed, nearest", plan: F.plan("P", "250.00", rounding: .nearest, scope: .clientDay),
            legs: RaterTests.fourThreeMinuteCalls,
            trace: "4 legs: 180 + 180 + 180 + 180 s talk; nearest 360 s → 720 s = 0.2 h × 250.00 = 50.00 GBP"),
        TraceCase(
            name: "more legs than are listed", plan: F.plan("P", "250.00", scope: .clientDay),
            legs: (1...7).map { F.leg(call: $0, start: "2026-04-01 1\($0):00:00", talk: 100) },
            trace: "700 s talk (7 legs); up to 360 s → 720 s = 0.2 h × 250.00 = 50.00 GBP"),
        TraceCase(
            name: "below grace", plan: F.plan("P", "250.00", grace: 30), legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 29)],
            trace: "29 s talk; below grace 30 s: not billed = 0.0 h × 250.00 = 0.00 GBP"),
        TraceCase(
            name: "minimum, hold not billed", plan: F.plan("P", "250.00", minimum: 720),
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 60, hold: 30)],
            trace: "60 s talk; 30 s hold not billed; minimum 720 s → 720 s; up to 360 s → 720 s = 0.2 h × 250.00 = 50.00 GBP"),
        TraceCase(
            name: "minimum met", plan: F.plan("P", "250.00", minimum: 720), legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 800)],
            trace: "800 s talk; minimum 720 s met; up to 360 s → 1080 s = 0.3 h × 250.00 = 75.00 GBP"),
        TraceCase(
            name: "hold billed", plan: F.plan("P", "250.00", hold: true),
            legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, hold: 90)],
            trace: "300 s talk + 90 s hold = 390 s; up to 360 s → 720 s = 0.2 h × 250.00 = 50.00 GBP"),
        TraceCase(
            name: "nothing to bill", plan: F.plan("P", "250.00", rounding: .down), legs: [F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 0)],
            trace: "0 s talk; nothing to bill = 0.0 h × 250.00 = 0.00 GBP"),
    ]

    @Test(arguments: traceCases)
    func traceSaysEachStep(_ testCase: TraceCase) {
        let charges = F.rater([testCase.plan]).rate(testCase.legs).charges
        #expect(charges.map(\.trace) == [testCase.trace])
    }

    // MARK: - What a charge covers

    @Test func clientDayChargeCoversItsCallsAndLegsInOrder() throws {
        let legs = [
            F.leg(call: 7, start: "2026-04-01 15:00:00", talk: 60, rule: .manual),
            F.leg(call: 3, start: "2026-04-01 09:00:00", ordinal: 1, talk: 120, hold: 40, rule: .code, blocked: true),
            F.leg(call: 3, start: "2026-04-01 09:00:00", ordinal: 0, talk: 30, rule: .code),
        ]
        let rater = F.rater(
            [F.plan("DAY", "250.00", scope: .clientDay, hold: true)], timekeepers: [Timekeeper(id: "TK1", name: "Dana Dee (partner)")])
        let charges = rater.rate(legs).charges
        try #require(charges.count == 1)
        let charge = charges[0]
        #expect(charge.kind == .fee)
        #expect(charge.siteID == 1)
        #expect(charge.date == LocalDate(year: 2026, month: 4, day: 1))
        #expect(charge.clientID == "ACME")
        #expect(charge.matterID == "ACME-001")
        #expect(charge.code == "4100")
        #expect(charge.timekeeperID == "TK1")
        #expect(charge.timekeeperName == "Dana Dee (partner)")
        #expect(charge.scope == .clientDay)
        #expect(charge.calls.map(\.callID) == [3, 7])
        #expect(charge.legs.map { "\($0.callID).\($0.legOrdinal)" } == ["3.0", "3.1", "7.0"])
        // 30 + 120 + 60 talk + 40 hold = 250 s → 360 s.
        #expect(charge.rawSeconds == 250)
        #expect(charge.billedSeconds == 360)
        #expect(charge.hourlyRate == F.decimal("250.00"))
        #expect(charge.amount == F.decimal("25.00"))
        #expect(charge.planID == "DAY")
        #expect(charge.rules == [.manual, .code])
        #expect(charge.blocked)
        #expect(charge.trace == "3 legs: 30 + 120 + 60 s talk + 40 s hold = 250 s; up to 360 s → 360 s = 0.1 h × 250.00 = 25.00 GBP")
    }

    @Test func rulesComeInPrecedenceOrder() {
        let legs = [
            F.leg(call: 1, start: "2026-04-01 09:00:00", talk: 60, rule: .default),
            F.leg(call: 2, start: "2026-04-01 10:00:00", talk: 60, rule: .numberPrefix),
            F.leg(call: 3, start: "2026-04-01 11:00:00", talk: 60, rule: .manual),
        ]
        let charges = F.rater([F.plan("DAY", "250.00", scope: .clientDay)]).rate(legs).charges
        #expect(charges.map(\.rules) == [[.manual, .numberPrefix, .default]])
        #expect(charges.map(\.blocked) == [false])
    }

    @Test func unregisteredUsersAreSeparateTimekeepersNamedByThePBX() {
        let legs = [
            F.leg(call: 1, start: "2026-04-01 09:00:00", talk: 180, timekeeper: nil, user: "Reception", extension: "200"),
            F.leg(call: 2, start: "2026-04-01 10:00:00", talk: 180, timekeeper: nil, user: "Night Desk", extension: "209"),
            F.leg(call: 3, start: "2026-04-01 11:00:00", talk: 180, timekeeper: nil, user: "Reception", extension: "200"),
        ]
        let charges = F.rater([F.plan("DAY", "250.00", rounding: .nearest, scope: .clientDay)]).rate(legs).charges
        // Reception: 360 s → 0.1 h; Night Desk: 180 s → 0.1 h. Same first-leg order: Reception's day starts at 09:00.
        #expect(charges.map { "\($0.timekeeperName) \($0.billedSeconds)" } == ["Reception 360", "Night Desk 360"])
        #expect(charges.map(\.timekeeperID) == [nil, nil])
    }

    /// A client day is the client's and matter's: two codes of one matter share it (DESIGN §7),
    /// two plans never do.
    @Test func codesOfOneMatterShareAClientDayButPlansNever() {
        let legs = [
            F.leg(call: 1, start: "2026-04-01 09:00:00", talk: 180),
            F.leg(call: 2, start: "2026-04-01 10:00:00", talk: 180, code: "4101"),
            // A rate change at 14:00 splits the day.
            F.leg(call: 3, start: "2026-04-01 14:00:00", talk: 180),
        ]
        let rater = F.rater(
            [F.plan("A", "250.00", rounding: .nearest, scope: .clientDay), F.plan("B", "300.00", rounding: .nearest, scope: .clientDay)],
            rates: [
                RateAssignment(planID: "A", effectiveTo: F.time("2026-04-01 14:00:00")),
                RateAssignment(planID: "B", effectiveFrom: F.time("2026-04-01 14:00:00")),
            ])
        let charges = rater.rate(legs).charges
        #expect(charges.map { "\($0.planID) \($0.code) \($0.legs.count) \($0.amount)" } == ["A 4100 2 25.00", "B 4100 1 30.00"])
    }

    // MARK: - Expenses

    struct ExpenseCase: Sendable, CustomTestStringConvertible {
        var name: String
        var plan: RatePlan
        var cost: String
        var currency: String
        /// `amount currency`, or `nil`: no expense.
        var expense: String?
        var trace: String?
        var testDescription: String { self.name }
    }

    static let expenseCases: [ExpenseCase] = [
        ExpenseCase(
            name: "1.20 × 1.10 = 1.32", plan: F.plan("P", "250.00", markup: "10"), cost: "1.20", currency: "GBP", expense: "1.32 GBP",
            trace: "carrier cost 1.20 GBP (Advice of Charge) + 10% = 1.32 GBP"),
        ExpenseCase(
            name: "0.0618 × 1.15 = 0.07107 → 0.07, currency trimmed and upper-cased", plan: F.plan("P", "250.00", markup: "15"),
            cost: "0.0618", currency: " gbp ", expense: "0.07 GBP", trace: "carrier cost 0.0618 GBP (Advice of Charge) + 15% = 0.07 GBP"),
        ExpenseCase(
            name: "the leg's currency decides the minor unit: 105 × 1.05 = 110.25 → 110 JPY", plan: F.plan("P", "250.00", markup: "5"),
            cost: "105", currency: "JPY", expense: "110 JPY", trace: "carrier cost 105 JPY (Advice of Charge) + 5% = 110 JPY"),
        ExpenseCase(
            name: "not ISO 4217: the plan's currency", plan: F.plan("P", "250.00", markup: "0"), cost: "1.45", currency: "£",
            expense: "1.45 GBP", trace: "carrier cost 1.45 GBP (Advice of Charge; \"£\" is not ISO 4217: the plan's currency) + 0% = 1.45 GBP"),
        ExpenseCase(
            name: "no currency: the plan's", plan: F.plan("P", "250.00", markup: "12.5"), cost: "2.00", currency: "",
            expense: "2.25 GBP", trace: "carrier cost 2.00 GBP (Advice of Charge; no currency on the leg: the plan's) + 12.5% = 2.25 GBP"),
        ExpenseCase(
            name: "a discount: 1.00 × 0.5 = 0.50", plan: F.plan("P", "250.00", markup: "-50"), cost: "1.00", currency: "GBP",
            expense: "0.50 GBP", trace: "carrier cost 1.00 GBP (Advice of Charge) - 50% = 0.50 GBP"),
        ExpenseCase(name: "no markup: not passed on", plan: F.plan("P", "250.00"), cost: "1.20", currency: "GBP", expense: nil, trace: nil),
        ExpenseCase(name: "zero cost: nothing", plan: F.plan("P", "250.00", markup: "10"), cost: "0.00", currency: "GBP", expense: nil, trace: nil),
    ]

    @Test(arguments: expenseCases)
    func carrierCostWithMarkup(_ testCase: ExpenseCase) throws {
        let leg = F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, cost: testCase.cost, currency: testCase.currency)
        let charges = F.rater([testCase.plan]).rate([leg]).charges
        let fees = charges.filter { $0.kind == .fee }
        let expenses = charges.filter { $0.kind == .expense }
        #expect(fees.map(\.amount) == [F.decimal("25.00")])
        #expect(expenses.map { "\($0.amount) \($0.currency)" } == (testCase.expense.map { [$0] } ?? []))
        #expect(expenses.map(\.trace) == (testCase.trace.map { [$0] } ?? []))
        if let expense = expenses.first {
            #expect(charges.last == expense, "the expense follows its fee")
            #expect(expense.scope == .leg)
            #expect(expense.rawSeconds == 0)  // the fee has the time: summing raw_seconds counts it once
            #expect(expense.billedSeconds == 0)
            #expect(expense.billedHours == ExactDecimal(units: 0, scale: 1))
            #expect(expense.hourlyRate == nil)
            #expect(expense.legs == [leg.match.leg])
            #expect(expense.calls == [leg.match.call])
            #expect(expense.planID == "P")
        }
    }

    @Test func oneExpensePerLegWhateverTheScope() {
        let legs = [
            F.leg(call: 1, start: "2026-04-01 09:00:00", talk: 100, cost: "0.10", currency: "GBP"),
            F.leg(call: 2, start: "2026-04-01 10:00:00", talk: 100, cost: "0.30", currency: "GBP"),
        ]
        let charges = F.rater([F.plan("DAY", "250.00", scope: .clientDay, markup: "10")]).rate(legs).charges
        // One fee for 200 s (→ 0.1 h), then an expense per leg in order of start: 0.11, 0.33.
        #expect(charges.map { "\($0.kind) \($0.amount)" } == ["fee 25.00", "expense 0.11", "expense 0.33"])
    }

    // MARK: - Unrated and skipped

    @Test func aLegWithAClientButNoPlanIsListedWithTheReason() {
        let rater = F.rater([F.plan("STD", "250.00")], rates: [RateAssignment(planID: "STD", clientID: "ACME")])
        let beta = F.leg(call: 9, start: "2026-04-02 09:00:00", talk: 300, client: "BETA", matter: "B1", code: "4200")
        let anonymous = F.leg(
            call: 10, start: "2026-04-02 10:00:00", talk: 300, site: 5, client: "BETA", matter: nil, code: "4200", timekeeper: nil,
            user: "Reception", extension: "200")
        let result = rater.rate([anonymous, beta, F.leg(call: 11, start: "2026-04-02 11:00:00", talk: 300)])
        #expect(result.charges.map(\.planID) == ["STD"])
        #expect(result.unrated.map(\.leg) == [beta, anonymous])
        #expect(
            result.unrated.map(\.reason) == [
                "no plan for client BETA, matter B1, timekeeper TK1 at site demo on 2026-04-02 09:00:00",
                "no plan for client BETA, no matter, no timekeeper (user Reception, extension 200) at site #5 on 2026-04-02 10:00:00",
            ])
    }

    @Test func aPlanNotYetEffectiveLeavesTheLegUnrated() {
        let rater = F.rater([F.plan("STD", "250.00")], rates: [RateAssignment(planID: "STD", effectiveFrom: F.time("2026-05-01 00:00:00"))])
        let result = rater.rate([F.leg(call: 1, start: "2026-04-30 23:59:59", talk: 300)])
        #expect(result.charges.isEmpty)
        #expect(result.unrated.count == 1)
    }

    @Test func unassignedAndUnverifiedLegsAreSkipped() {
        let result = F.rater([F.plan("STD", "250.00")]).rate([F.leg(call: 1, start: "2026-04-01 10:00:00", talk: 300, client: nil)])
        #expect(result == Rater.Result())
    }

    // MARK: - The contract firm (shared/contract/expected.md)

    static let contractRater = Rater(
        register: Register(
            timekeepers: [Timekeeper(id: "TK1", name: "Dana Dee"), Timekeeper(id: "TK2", name: "Eli Eve")],
            plans: [F.plan("STD", "250.00"), F.plan("PARTNER", "400.00")],
            rates: [RateAssignment(planID: "STD", site: "demo"), RateAssignment(planID: "PARTNER", timekeeperID: "TK1")]),
        sites: [RatingFixture.demo])

    static func contractLegs(assigned: Bool) -> [RateLeg] {
        let dana = (timekeeper: "TK1", user: "Dana Dee", extension: "301")
        let eli = (timekeeper: "TK2", user: "Eli Eve", extension: "302")
        return [
            F.leg(call: 1_000_001, start: "2026-04-01 10:00:00", talk: 240, timekeeper: dana.timekeeper, user: dana.user, extension: dana.extension),
            F.leg(
                call: 1_000_002, start: "2026-04-01 11:00:00", talk: 480, client: "BETA", matter: nil, code: "4200", timekeeper: eli.timekeeper,
                user: eli.user, extension: eli.extension, rule: .numberPrefix),
            F.leg(
                call: 1_000_003, start: "2026-04-01 12:00:00", talk: 120, timekeeper: eli.timekeeper, user: eli.user, extension: eli.extension,
                rule: .code),
            F.leg(
                call: 1_000_004, start: "2026-04-01 13:00:00", talk: 300, client: assigned ? "BETA" : nil, matter: nil, code: "4200",
                timekeeper: dana.timekeeper, user: dana.user, extension: dana.extension, rule: .manual),
        ]
    }

    @Test func contractFirmBillsThreeCharges() {
        let result = Self.contractRater.rate(Self.contractLegs(assigned: false))
        #expect(
            result.charges.map { "\($0.timekeeperName) \($0.clientID) \($0.planID) \($0.billedHours) h \($0.amount) \($0.currency)" } == [
                "Dana Dee ACME PARTNER 0.1 h 40.00 GBP", "Eli Eve BETA STD 0.2 h 50.00 GBP", "Eli Eve ACME STD 0.1 h 25.00 GBP",
            ])
        #expect(result.unrated.isEmpty)
    }

    @Test func contractFirmAfterAssigningTheFourthCall() {
        let charges = Self.contractRater.rate(Self.contractLegs(assigned: true)).charges
        #expect(charges.last.map { "\($0.clientID) \($0.planID) \($0.billedHours) h \($0.amount)" } == "BETA PARTNER 0.1 h 40.00")
        #expect(charges.last?.rules == [.manual])
        var totals: [String: Int64] = [:]
        for charge in charges { totals[charge.clientID, default: 0] += charge.amount.units }
        #expect(totals == ["ACME": 6500, "BETA": 9000])
    }

    // MARK: - Order

    @Test func shuffledInputGivesTheSameResult() {
        var generator = SplitMix64(seed: 11)
        var legs: [RateLeg] = []
        let users = [("TK1", "Dana Dee", "301"), ("TK2", "Eli Eve", "302"), (nil, "Reception", "200")]
        let clients: [(String?, String?)] = [("ACME", "ACME-001"), ("ACME", "ACME-002"), ("BETA", nil), ("GAMMA", nil), (nil, nil)]
        for call in 1...150 {
            let start = "2026-04-0\(1 + call % 3) \(10 + call % 12):\(10 + call % 50):00"
            let (client, matter) = clients[Int(generator.next() % UInt64(clients.count))]
            for ordinal in 0..<Int(1 + generator.next() % 3) {
                let user = users[Int(generator.next() % UInt64(users.count))]
                legs.append(
                    F.leg(
                        call: call, start: start, ordinal: ordinal, talk: Int(generator.next() % 900), hold: Int(generator.next() % 60),
                        client: client, matter: matter, timekeeper: user.0, user: user.1, extension: user.2,
                        cost: generator.next() % 4 == 0 ? "0.25" : nil, currency: "GBP"))
            }
        }
        let rater = F.rater(
            [
                F.plan("LEG", "250.00", markup: "10"), F.plan("CALL", "300.00", rounding: .nearest, scope: .call),
                F.plan("DAY", "200.00", scope: .clientDay, hold: true),
            ],
            rates: [
                RateAssignment(planID: "LEG", site: "demo"), RateAssignment(planID: "CALL", clientID: "ACME"),
                RateAssignment(planID: "DAY", clientID: "BETA"),
            ])
        let expected = rater.rate(legs)
        #expect(expected.charges.contains { $0.scope == .call } && expected.charges.contains { $0.scope == .clientDay })
        #expect(expected.charges.contains { $0.kind == .expense })
        for _ in 0..<5 {
            legs.shuffle(using: &generator)
            #expect(rater.rate(legs) == expected)
        }
    }
}
