import SMDRCore
import SMDRRating

/// Builders for rating tests: legs of the demo site, plans and decimals from text.
enum RatingFixture {
    static let demo = Site(id: 1, name: "demo", timeZone: "Europe/London", countryCode: "44")
    static let branch = Site(id: 2, name: "branch", timeZone: "Europe/London", countryCode: "44")
    static let sites = [demo, branch]

    /// `"333.33"` → 33333 at scale 2 (a test helper; the register parses its own CSV).
    static func decimal(_ text: String) -> ExactDecimal {
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        precondition(parts.count <= 2, text)
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        let units = Int64(String(parts[0]) + fraction)!
        return ExactDecimal(units: negative ? -units : units, scale: fraction.count)
    }

    /// `"2026-04-01 10:00:00"`.
    static func time(_ text: String) -> LocalDateTime {
        LocalDateTime(iso: text)!
    }

    static func plan(
        _ id: String, _ rate: String, _ currency: String = "GBP", increment: Int = 360, minimum: Int = 0, grace: Int = 0,
        rounding: RatePlan.Rounding = .up, scope: RatePlan.Scope = .leg, hold: Bool = false, markup: String? = nil
    ) -> RatePlan {
        RatePlan(
            id: id, hourlyRate: decimal(rate), currency: currency, incrementSeconds: increment, minimumSeconds: minimum,
            graceSeconds: grace, rounding: rounding, scope: scope, billHoldTime: hold, carrierMarkupPercent: markup.map(decimal))
    }

    /// One billable leg. `start` is the call's start; `legStart` the leg's own (Call Splitting), by default the same.
    static func leg(
        call: Int, start: String, ordinal: Int = 0, legStart: String? = nil, talk: Int, hold: Int = 0, site: Int = 1,
        client: String? = "ACME", matter: String? = "ACME-001", code: String? = "4100", timekeeper: String? = "TK1",
        user: String = "Dana Dee", extension: String = "301", rule: MatchRule = .number, blocked: Bool = false,
        cost: String? = nil, currency: String = ""
    ) -> RateLeg {
        let callKey = CallKey(siteID: site, callID: call, startLocal: time(start))
        let legKey = LegKey(siteID: site, callID: call, startLocal: time(legStart ?? start), legOrdinal: ordinal)
        let match = LegMatch(
            leg: legKey, call: callKey, kind: .talk, userExtension: `extension`, userName: user, timekeeperID: timekeeper,
            enteredCode: "", code: client == nil ? nil : code, clientID: client, matterID: client == nil ? nil : matter,
            rule: client == nil ? .unassigned : rule, unverified: false, blocked: blocked, externalNumber: "01632960100",
            externalE164: "+441632960100")
        return RateLeg(match: match, talkSeconds: talk, holdSeconds: hold, callCharge: cost.map(decimal), chargeCurrency: currency)
    }

    /// A rater of `plans`, each attached as the site default of every site unless `rates` says otherwise.
    static func rater(_ plans: [RatePlan], rates: [RateAssignment]? = nil, timekeepers: [Timekeeper] = []) -> Rater {
        let rates = rates ?? plans.map { RateAssignment(planID: $0.id) }
        return Rater(register: Register(timekeepers: timekeepers, plans: plans, rates: rates), sites: sites)
    }
}
