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
///   (matter+timekeeper, matter, client+timekeeper, client, timekeeper, site default;
///   the call's own site before every site); a leg with a client and no plan is returned in ``Result/unrated``.
/// - Legs are grouped per plan, site, client, matter, code and timekeeper (the registered one,
///   else the PBX user name and extension), and then by the plan's scope: `leg` each leg alone,
///   `call` per call, `client_day` per local date of the call's start, whatever the code (the
///   charge takes its first leg's). Each group is one fee
///   charge (`Fee`), zero amounts included: they say why a call bills nothing.
/// - A plan with `carrierMarkupPercent` turns each leg's positive Advice of Charge into one
///   `expense` charge (`Expense`).
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
        legs.withUnsafeBufferPointer { self.rate(legs: $0) }
    }

    /// ``rate(_:)`` over the buffer: fields are read in place (a `LegMatch` holds nine strings,
    /// and copying one whole costs as many retains).
    private func rate(legs: UnsafeBufferPointer<RateLeg>) -> Result {
        let plans = self.index.plans
        var unratedIndices: [Int] = []
        var expenseIndices: [Int] = []
        var planOfLeg = [Int](repeating: -1, count: legs.count)
        // Fee charges: legs charged alone (scope `leg`), and groups of legs (by index into `legs`).
        var singles: [Int] = []
        var groups: [[Int]] = []
        var groupOfKey: [GroupKey: Int] = [:]
        var candidatesOfTarget: [TargetKey: [PlanIndex.Candidate]] = [:]
        var lastTarget: TargetKey?
        var lastCandidates: [PlanIndex.Candidate] = []

        for position in legs.indices {
            guard let client = legs[position].match.clientID else { continue }
            let siteID = legs[position].match.call.siteID
            let target = TargetKey(
                siteID: siteID, client: client, matter: legs[position].match.matterID, timekeeper: legs[position].match.timekeeperID)
            if target != lastTarget {
                if let known = candidatesOfTarget[target] {
                    lastCandidates = known
                } else {
                    lastCandidates = self.index.candidates(
                        site: self.siteNames[siteID], client: client, matter: target.matter, timekeeper: target.timekeeper)
                    candidatesOfTarget[target] = lastCandidates
                }
                lastTarget = target
            }
            let start = legs[position].match.call.startLocal
            guard let plan = lastCandidates.first(where: { $0.isEffective(at: start) })?.plan else {
                unratedIndices.append(position)
                continue
            }
            planOfLeg[position] = plan
            if plans[plan].carrierMarkupPercent != nil, let cost = legs[position].callCharge, cost.units > 0 {
                expenseIndices.append(position)
            }
            let bucket: GroupKey.Bucket
            switch plans[plan].scope {
            case .leg:
                singles.append(position)
                continue
            case .call: bucket = .call(legs[position].match.call)
            case .clientDay: bucket = .day(start.date)
            }
            let registered = target.timekeeper != nil
            // A client day is the client's and matter's, whatever code each call was given
            // (several codes may bill one matter): the charge takes its first leg's code.
            let key = GroupKey(
                plan: plan, siteID: siteID, client: client, matter: target.matter,
                code: plans[plan].scope == .clientDay ? "" : legs[position].match.code ?? "",
                timekeeperID: target.timekeeper, userName: registered ? "" : legs[position].match.userName,
                userExtension: registered ? "" : legs[position].match.userExtension, bucket: bucket)
            if let group = groupOfKey[key] {
                groups[group].append(position)
            } else {
                groupOfKey[key] = groups.count
                groups.append([position])
            }
        }

        // Order the charges before building them: a built charge is costly to move or copy
        // (its strings and arrays are retained), while the legs already say where each one goes.
        var pending: [PendingCharge] = []
        pending.reserveCapacity(singles.count + groups.count + expenseIndices.count)
        for position in singles {
            pending.append(PendingCharge(kind: .fee, first: position, group: nil))
        }
        for group in groups.indices {
            if groups[group].count > 1 {
                groups[group].sort { Self.legPrecedes(legs[$0].match.leg, legs[$1].match.leg) }
            }
            pending.append(PendingCharge(kind: .fee, first: groups[group][0], group: group))
        }
        for position in expenseIndices {
            pending.append(PendingCharge(kind: .expense, first: position, group: nil))
        }
        let base = legs.baseAddress!
        pending.sort { self.precedes($0, $1, legs: base, planOfLeg: planOfLeg) }

        var charges: [Charge] = []
        charges.reserveCapacity(pending.count)
        var trace = TraceText()
        var singleLegFees: [SingleLegFee: Fee] = [:]
        for charge in pending {
            let plan = planOfLeg[charge.first]
            switch (charge.kind, charge.group) {
            case (.expense, _):
                charges.append(self.expense(leg: legs[charge.first], plan: plan))
            case (.fee, nil):
                charges.append(self.fee(legs: legs, group: CollectionOfOne(charge.first), plan: plan, trace: &trace, singleLegFees: &singleLegFees))
            case (.fee, let group?):
                charges.append(self.fee(legs: legs, group: groups[group], plan: plan, trace: &trace, singleLegFees: &singleLegFees))
            }
        }

        var unrated = unratedIndices.map { UnratedLeg(leg: legs[$0], reason: self.reason(legs[$0].match)) }
        unrated.sort { Self.legPrecedes(call: $0.leg.match, $1.leg.match) }
        return Result(charges: charges, unrated: unrated)
    }

    // MARK: - Charges

    /// One fee charge of the legs at `group` (in order of start, not empty) under `plan`.
    private func fee(
        legs: UnsafeBufferPointer<RateLeg>, group: some Collection<Int>, plan: Int, trace: inout TraceText,
        singleLegFees: inout [SingleLegFee: Fee]
    ) -> Charge {
        let ratePlan = self.index.plans[plan]
        let first = group.first!
        let fee: Fee
        if group.count == 1 {
            // One leg's fee depends only on its plan, talk and hold: a month has few distinct ones.
            let key = SingleLegFee(plan: plan, talk: legs[first].talkSeconds, hold: legs[first].holdSeconds)
            if let known = singleLegFees[key] {
                fee = known
            } else {
                fee = Fee(
                    plan: ratePlan, minorUnit: self.minorUnits[plan], talkSeconds: CollectionOfOne(key.talk),
                    holdSeconds: CollectionOfOne(key.hold), trace: &trace)
                singleLegFees[key] = fee
            }
        } else {
            fee = Fee(
                plan: ratePlan, minorUnit: self.minorUnits[plan], talkSeconds: group.lazy.map { legs[$0].talkSeconds },
                holdSeconds: group.lazy.map { legs[$0].holdSeconds }, trace: &trace)
        }
        var calls: [CallKey]
        var ruleMask = 0
        var blocked = false
        if group.count == 1 {
            calls = [legs[first].match.call]
            ruleMask = Self.ruleBit(legs[first].match.rule)
            blocked = legs[first].match.blocked
        } else {
            calls = group.map { legs[$0].match.call }
            calls.sort()
            calls = calls.enumerated().compactMap { offset, call in offset > 0 && calls[offset - 1] == call ? nil : call }
            for position in group {
                ruleMask |= Self.ruleBit(legs[position].match.rule)
                blocked = blocked || legs[position].match.blocked
            }
        }
        return Charge(
            kind: .fee, siteID: legs[first].match.call.siteID, date: calls[0].startLocal.date,
            clientID: legs[first].match.clientID ?? "", matterID: legs[first].match.matterID, code: legs[first].match.code ?? "",
            timekeeperID: legs[first].match.timekeeperID,
            timekeeperName: self.timekeeperName(id: legs[first].match.timekeeperID, user: legs[first].match.userName),
            scope: ratePlan.scope, calls: calls, legs: group.map { legs[$0].match.leg }, rawSeconds: fee.rawSeconds,
            billedSeconds: fee.billedSeconds, billedHours: fee.billedHours, hourlyRate: ratePlan.hourlyRate, amount: fee.amount,
            currency: ratePlan.currency, planID: ratePlan.id, rules: Self.rules(ruleMask), trace: fee.trace, blocked: blocked)
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
            timekeeperName: self.timekeeperName(id: match.timekeeperID, user: match.userName), scope: .leg, calls: [match.call], legs: [match.leg],
            rawSeconds: 0, billedSeconds: 0, billedHours: Money.hours(seconds: 0), hourlyRate: nil,
            amount: expense.amount, currency: expense.currency, planID: ratePlan.id, rules: [match.rule], trace: expense.trace,
            blocked: match.blocked)
    }

    /// The registered name of timekeeper `id`, else the PBX user name.
    private func timekeeperName(id: String?, user: String) -> String {
        if let id, let name = self.timekeeperNames[id] { return name }
        return user
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
        Self.rulesOfMask[mask]
    }

    /// The distinct rules of every set of rules (bit `i`: `MatchRule.allCases[i]`), built once
    /// so that charges share these arrays instead of allocating their own.
    private static let rulesOfMask: [[MatchRule]] = (0..<(1 << MatchRule.allCases.count)).map { mask in
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
    /// Read from the charges' first legs in place (a `LegMatch` copied is nine retains).
    private func precedes(_ lhs: PendingCharge, _ rhs: PendingCharge, legs: UnsafePointer<RateLeg>, planOfLeg: [Int]) -> Bool {
        let left = legs + lhs.first
        let right = legs + rhs.first
        let leftCall = left.pointee.match.call
        let rightCall = right.pointee.match.call
        if leftCall.siteID != rightCall.siteID { return leftCall.siteID < rightCall.siteID }
        let leftDate = leftCall.startLocal.date
        let rightDate = rightCall.startLocal.date
        if leftDate != rightDate { return leftDate < rightDate }
        let leftLeg = left.pointee.match.leg
        let rightLeg = right.pointee.match.leg
        if leftLeg.startLocal != rightLeg.startLocal { return leftLeg.startLocal < rightLeg.startLocal }
        if left.pointee.match.timekeeperID != right.pointee.match.timekeeperID {
            return Self.precedes(left.pointee.match.timekeeperID, right.pointee.match.timekeeperID)
        }
        let leftName = self.timekeeperName(id: left.pointee.match.timekeeperID, user: left.pointee.match.userName)
        let rightName = self.timekeeperName(id: right.pointee.match.timekeeperID, user: right.pointee.match.userName)
        if leftName != rightName { return leftName < rightName }
        if left.pointee.match.clientID != right.pointee.match.clientID {
            return Self.precedes(left.pointee.match.clientID, right.pointee.match.clientID)
        }
        if left.pointee.match.matterID != right.pointee.match.matterID {
            return Self.precedes(left.pointee.match.matterID, right.pointee.match.matterID)
        }
        if left.pointee.match.code != right.pointee.match.code { return Self.precedes(left.pointee.match.code, right.pointee.match.code) }
        let leftPlan = self.index.plans[planOfLeg[lhs.first]].id
        let rightPlan = self.index.plans[planOfLeg[rhs.first]].id
        if leftPlan != rightPlan { return leftPlan < rightPlan }
        if lhs.kind != rhs.kind { return lhs.kind == .fee }
        return Self.legPrecedes(leftLeg, rightLeg)
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

    /// A charge to build: its kind, its first leg in order of start, and for a fee of more than
    /// one leg the group of its legs.
    fileprivate struct PendingCharge {
        var kind: Charge.Kind
        var first: Int
        var group: Int?
    }

    /// What the fee of a charge of one leg depends on.
    fileprivate struct SingleLegFee: Hashable {
        var plan: Int
        var talk: Int
        var hold: Int
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
