public import SMDRCore

/// Turns matched billable legs into charges (DESIGN §7). Pure: no I/O, no clock.
///
/// `init` builds the plan lookups once; ``rate(_:)`` takes the legs of complete calls (a day, a
/// month: every leg of a call and of a timekeeper's client day must be in one call to it) and
/// returns their charges in a stable order, so the same legs always give the same charges.
///
/// ## Rating behavior
/// - A leg without a client (unassigned, unverified) is skipped: the review queue has it.
/// - A leg's plan is the most specific rate assignment effective at its CALL's local start
///   (see ``PlanIndex``); a leg with a client and no plan is returned in ``Result/unrated``.
/// - Legs are grouped per plan, site, client, matter, code and timekeeper (the registered one,
///   else the PBX user name and extension), and then by the plan's scope: `leg` each leg alone,
///   `call` per call, `client_day` per local date of the call's start. Each group is one fee
///   charge (``Fee``), zero amounts included: they say why a call bills nothing.
/// - A plan with `carrierMarkupPercent` turns each leg's positive Advice of Charge into one
///   `expense` charge (``Expense``).
/// - Charges are sorted by site, date, first leg's start, timekeeper, client, matter, code, plan
///   and kind (then the first leg's Call ID and ordinal), whatever the order of the input.
public struct Rater: Sendable {
    /// What one call to ``rate(_:)`` gives.
    public struct Result: Hashable, Sendable {
        public var charges: [Charge]
        public var unrated: [UnratedLeg]

        public init(charges: [Charge] = [], unrated: [UnratedLeg] = []) {
            self.charges = charges
            self.unrated = unrated
        }
    }

    private let index: PlanIndex
    /// Decimals of each plan's currency, by plan index.
    private let minorUnits: [Int]
    private let timekeeperNames: [String: String]
    private let siteNames: [Int: String]

    /// `register` gives the plans, the rate assignments and the timekeepers' names; `sites` the
    /// names of site ids (rate assignments name sites).
    public init(register: Register, sites: [Site]) {
        self.index = PlanIndex(plans: register.plans, assignments: register.rates)
        self.minorUnits = register.plans.map { Currency.minorUnit(of: $0.currency) ?? Currency.fallbackMinorUnit }
        var names: [String: String] = [:]
        for timekeeper in register.timekeepers where names[timekeeper.id] == nil {
            names[timekeeper.id] = timekeeper.name
        }
        self.timekeeperNames = names
        var siteNames: [Int: String] = [:]
        for site in sites {
            if let id = site.id { siteNames[id] = site.name }
        }
        self.siteNames = siteNames
    }

    /// Rates the legs: those without a client (unassigned, unverified) are skipped; those with a
    /// client but no plan come back in ``Result/unrated``.
    public func rate(_ legs: [RateLeg]) -> Result {
        let plans = self.index.plans
        var unratedIndices: [Int] = []
        var expenseIndices: [Int] = []
        var planOfLeg = [Int](repeating: -1, count: legs.count)
        // Fee groups: the legs of each charge, by index into `legs`.
        var groups: [[Int]] = []
        var groupOfKey: [GroupKey: Int] = [:]
        var candidatesOfTarget: [TargetKey: [PlanIndex.Candidate]] = [:]
        var lastTarget: TargetKey?
        var lastCandidates: [PlanIndex.Candidate] = []

        for (position, leg) in legs.enumerated() {
            let match = leg.match
            guard let client = match.clientID else { continue }
            let target = TargetKey(siteID: match.call.siteID, client: client, matter: match.matterID, timekeeper: match.timekeeperID)
            if target != lastTarget {
                if let known = candidatesOfTarget[target] {
                    lastCandidates = known
                } else {
                    lastCandidates = self.index.candidates(
                        site: self.siteNames[target.siteID], client: client, matter: target.matter, timekeeper: target.timekeeper)
                    candidatesOfTarget[target] = lastCandidates
                }
                lastTarget = target
            }
            let start = match.call.startLocal
            guard let plan = lastCandidates.first(where: { $0.isEffective(at: start) })?.plan else {
                unratedIndices.append(position)
                continue
            }
            planOfLeg[position] = plan
            let ratePlan = plans[plan]
            if ratePlan.carrierMarkupPercent != nil, let cost = leg.callCharge, cost.units > 0 {
                expenseIndices.append(position)
            }
            let bucket: GroupKey.Bucket
            switch ratePlan.scope {
            case .leg:
                groups.append([position])
                continue
            case .call: bucket = .call(match.call)
            case .clientDay: bucket = .day(start.date)
            }
            let key = GroupKey(
                plan: plan, siteID: match.call.siteID, client: client, matter: match.matterID, code: match.code ?? "",
                timekeeperID: match.timekeeperID, userName: match.timekeeperID == nil ? match.userName : "",
                userExtension: match.timekeeperID == nil ? match.userExtension : "", bucket: bucket)
            if let group = groupOfKey[key] {
                groups[group].append(position)
            } else {
                groupOfKey[key] = groups.count
                groups.append([position])
            }
        }

        var charges: [Charge] = []
        charges.reserveCapacity(groups.count + expenseIndices.count)
        for var group in groups {
            if group.count > 1 {
                group.sort { Self.legPrecedes(legs[$0].match.leg, legs[$1].match.leg) }
            }
            charges.append(self.fee(legs: legs, group: group, plan: planOfLeg[group[0]]))
        }
        for position in expenseIndices {
            charges.append(self.expense(leg: legs[position], plan: planOfLeg[position]))
        }
        charges.sort(by: Self.chargePrecedes)

        var unrated = unratedIndices.map { UnratedLeg(leg: legs[$0], reason: self.reason(legs[$0].match)) }
        unrated.sort { Self.legPrecedes(call: $0.leg.match, $1.leg.match) }
        return Result(charges: charges, unrated: unrated)
    }

    // MARK: - Charges

    private func fee(legs: [RateLeg], group: [Int], plan: Int) -> Charge {
        let ratePlan = self.index.plans[plan]
        let first = legs[group[0]].match
        let fee = Fee(
            plan: ratePlan, minorUnit: self.minorUnits[plan], talkSeconds: group.lazy.map { legs[$0].talkSeconds },
            holdSeconds: group.lazy.map { legs[$0].holdSeconds })
        var calls: [CallKey]
        if group.count == 1 {
            calls = [first.call]
        } else {
            calls = group.map { legs[$0].match.call }
            calls.sort()
            calls = calls.enumerated().compactMap { offset, call in offset > 0 && calls[offset - 1] == call ? nil : call }
        }
        var ruleMask = 0
        var blocked = false
        for position in group {
            ruleMask |= Self.ruleBit(legs[position].match.rule)
            blocked = blocked || legs[position].match.blocked
        }
        return Charge(
            kind: .fee, siteID: first.call.siteID, date: calls[0].startLocal.date, clientID: first.clientID ?? "",
            matterID: first.matterID, code: first.code ?? "", timekeeperID: first.timekeeperID,
            timekeeperName: self.timekeeperName(first), scope: ratePlan.scope, calls: calls, legs: group.map { legs[$0].match.leg },
            rawSeconds: fee.rawSeconds, billedSeconds: fee.billedSeconds, billedHours: fee.billedHours,
            hourlyRate: ratePlan.hourlyRate, amount: fee.amount, currency: ratePlan.currency, planID: ratePlan.id,
            rules: Self.rules(ruleMask), trace: fee.trace, blocked: blocked)
    }

    private func expense(leg: RateLeg, plan: Int) -> Charge {
        let ratePlan = self.index.plans[plan]
        let match = leg.match
        // Only legs with a cost under a plan with a markup get here.
        let expense = Expense(
            cost: leg.callCharge!, printedCurrency: leg.chargeCurrency, markupPercent: ratePlan.carrierMarkupPercent!,
            planCurrency: ratePlan.currency)
        return Charge(
            kind: .expense, siteID: match.call.siteID, date: match.call.startLocal.date, clientID: match.clientID ?? "",
            matterID: match.matterID, code: match.code ?? "", timekeeperID: match.timekeeperID,
            timekeeperName: self.timekeeperName(match), scope: .leg, calls: [match.call], legs: [match.leg],
            rawSeconds: leg.talkSeconds, billedSeconds: 0, billedHours: Money.hours(seconds: 0), hourlyRate: nil,
            amount: expense.amount, currency: expense.currency, planID: ratePlan.id, rules: [match.rule], trace: expense.trace,
            blocked: match.blocked)
    }

    private func timekeeperName(_ match: LegMatch) -> String {
        if let id = match.timekeeperID, let name = self.timekeeperNames[id] { return name }
        return match.userName
    }

    /// Why a leg with a client has no plan, naming what the plan was looked up by.
    private func reason(_ match: LegMatch) -> String {
        var text = "no plan for client \(match.clientID ?? "")"
        text += match.matterID.map { ", matter \($0)" } ?? ", no matter"
        if let timekeeper = match.timekeeperID {
            text += ", timekeeper \(timekeeper)"
        } else {
            text += ", no timekeeper (user \(match.userName), extension \(match.userExtension))"
        }
        text += " at site \(self.siteNames[match.call.siteID] ?? "#\(match.call.siteID)")"
        text += " on \(match.call.startLocal)"
        return text
    }

    // MARK: - Order

    private static func ruleBit(_ rule: MatchRule) -> Int {
        1 << (MatchRule.allCases.firstIndex(of: rule) ?? 0)
    }

    private static func rules(_ mask: Int) -> [MatchRule] {
        MatchRule.allCases.enumerated().compactMap { offset, rule in mask & (1 << offset) != 0 ? rule : nil }
    }

    /// Legs in order of start, then Call ID, ordinal and call month (a total order of leg keys).
    private static func legPrecedes(_ lhs: LegKey, _ rhs: LegKey) -> Bool {
        if lhs.startLocal != rhs.startLocal { return lhs.startLocal < rhs.startLocal }
        if lhs.siteID != rhs.siteID { return lhs.siteID < rhs.siteID }
        if lhs.callID != rhs.callID { return lhs.callID < rhs.callID }
        if lhs.legOrdinal != rhs.legOrdinal { return lhs.legOrdinal < rhs.legOrdinal }
        return lhs.callMonth < rhs.callMonth
    }

    /// Legs by their call (site, start, Call ID), then by ``legPrecedes(_:_:)``.
    private static func legPrecedes(call lhs: LegMatch, _ rhs: LegMatch) -> Bool {
        if lhs.call != rhs.call { return lhs.call < rhs.call }
        return Self.legPrecedes(lhs.leg, rhs.leg)
    }

    /// Site, date, first leg's start, timekeeper, client, matter, code, plan, kind; then the
    /// first leg's key, which no two fee charges share (and a leg's expense follows its fee).
    private static func chargePrecedes(_ lhs: Charge, _ rhs: Charge) -> Bool {
        if lhs.siteID != rhs.siteID { return lhs.siteID < rhs.siteID }
        if lhs.date != rhs.date { return lhs.date < rhs.date }
        let left = lhs.legs[0]
        let right = rhs.legs[0]
        if left.startLocal != right.startLocal { return left.startLocal < right.startLocal }
        if lhs.timekeeperID != rhs.timekeeperID { return Self.precedes(lhs.timekeeperID, rhs.timekeeperID) }
        if lhs.timekeeperName != rhs.timekeeperName { return lhs.timekeeperName < rhs.timekeeperName }
        if lhs.clientID != rhs.clientID { return lhs.clientID < rhs.clientID }
        if lhs.matterID != rhs.matterID { return Self.precedes(lhs.matterID, rhs.matterID) }
        if lhs.code != rhs.code { return lhs.code < rhs.code }
        if lhs.planID != rhs.planID { return lhs.planID < rhs.planID }
        if lhs.kind != rhs.kind { return lhs.kind == .fee }
        return Self.legPrecedes(left, right)
    }

    /// `nil` first, then in string order.
    private static func precedes(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let rhs else { return false }
        guard let lhs else { return true }
        return lhs < rhs
    }
}

extension Rater {
    /// What a leg's plan is looked up by (cached per rating: a month has few of them).
    fileprivate struct TargetKey: Hashable {
        var siteID: Int
        var client: String
        var matter: String?
        var timekeeper: String?
    }

    /// What legs of one fee charge share.
    fileprivate struct GroupKey: Hashable {
        enum Bucket: Hashable {
            case call(CallKey)
            case day(LocalDate)
        }

        var plan: Int
        var siteID: Int
        var client: String
        var matter: String?
        var code: String
        var timekeeperID: String?
        /// The PBX user, when the leg has no registered timekeeper.
        var userName: String
        var userExtension: String
        var bucket: Bucket
    }
}
