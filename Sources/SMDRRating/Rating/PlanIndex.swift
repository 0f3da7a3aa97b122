import SMDRCore

/// Rate assignments indexed by what they attach a plan to, so that finding the plan of a leg
/// is a few dictionary lookups (DESIGN §7, "Which plan").
///
/// Precedence, first hit wins: the kind of target (matter+timekeeper, matter, client+timekeeper,
/// client, timekeeper, site default), then within a kind an assignment limited to the call's site
/// before one for every site, then among those the one effective at the call's local start; if
/// two ever overlap (the register's import refuses that), the later `effectiveFrom` wins, then
/// the smaller plan id.
struct PlanIndex: Sendable {
    /// What an assignment is attached to, most specific first.
    enum Kind: Int, Hashable, Sendable, CaseIterable {
        case matterTimekeeper
        case matter
        case clientTimekeeper
        case client
        case timekeeper
        case siteDefault
    }

    /// One assignment: a plan (index into ``plans``) and when it is effective.
    struct Candidate: Hashable, Sendable {
        var plan: Int
        var from: LocalDateTime?
        var to: LocalDateTime?

        func isEffective(at start: LocalDateTime) -> Bool {
            if let from = self.from, start < from { return false }
            if let to = self.to, !(start < to) { return false }
            return true
        }
    }

    /// The key an assignment is filed under; a leg looks up the keys of every kind.
    private struct Target: Hashable, Sendable {
        var kind: Kind
        var site: String?
        var client: String?
        var matter: String?
        var timekeeper: String?
    }

    /// The plans by index, in register order.
    let plans: [RatePlan]
    private let candidatesByTarget: [Target: [Candidate]]

    /// Files every assignment whose plan exists; one naming an unknown plan, or a matter without
    /// its client, can never apply and is left out (the register's import refuses both).
    init(plans: [RatePlan], assignments: [RateAssignment]) {
        var planIndex: [String: Int] = [:]
        for (index, plan) in plans.enumerated() where planIndex[plan.id] == nil {
            planIndex[plan.id] = index
        }
        var filed: [Target: [Candidate]] = [:]
        for assignment in assignments {
            guard let plan = planIndex[assignment.planID] else { continue }
            let kind: Kind
            switch (assignment.clientID != nil, assignment.matterID != nil, assignment.timekeeperID != nil) {
            case (true, true, true): kind = .matterTimekeeper
            case (true, true, false): kind = .matter
            case (true, false, true): kind = .clientTimekeeper
            case (true, false, false): kind = .client
            case (false, false, true): kind = .timekeeper
            case (false, false, false): kind = .siteDefault
            case (false, true, _): continue
            }
            let target = Target(
                kind: kind, site: assignment.site, client: assignment.clientID, matter: assignment.matterID,
                timekeeper: assignment.timekeeperID)
            filed[target, default: []].append(Candidate(plan: plan, from: assignment.effectiveFrom, to: assignment.effectiveTo))
        }
        for target in filed.keys {
            filed[target]!.sort { lhs, rhs in
                // Later effectiveFrom first (open start is the earliest), then plan id.
                if lhs.from != rhs.from {
                    guard let left = lhs.from else { return false }
                    guard let right = rhs.from else { return true }
                    return right < left
                }
                // Same start and plan: either gives the same plan where both are effective.
                return plans[lhs.plan].id < plans[rhs.plan].id
            }
        }
        self.plans = plans
        self.candidatesByTarget = filed
    }

    /// Every assignment that could apply to a leg of `client`, `matter` and `timekeeper` at the
    /// site named `site`, in precedence order; the first effective at a call's start is its plan.
    func candidates(site: String?, client: String, matter: String?, timekeeper: String?) -> [Candidate] {
        var result: [Candidate] = []
        for kind in Kind.allCases {
            let (keyClient, keyMatter, keyTimekeeper): (String?, String?, String?)
            switch kind {
            case .matterTimekeeper:
                guard let matter, let timekeeper else { continue }
                (keyClient, keyMatter, keyTimekeeper) = (client, matter, timekeeper)
            case .matter:
                guard let matter else { continue }
                (keyClient, keyMatter, keyTimekeeper) = (client, matter, nil)
            case .clientTimekeeper:
                guard let timekeeper else { continue }
                (keyClient, keyMatter, keyTimekeeper) = (client, nil, timekeeper)
            case .client:
                (keyClient, keyMatter, keyTimekeeper) = (client, nil, nil)
            case .timekeeper:
                guard let timekeeper else { continue }
                (keyClient, keyMatter, keyTimekeeper) = (nil, nil, timekeeper)
            case .siteDefault:
                (keyClient, keyMatter, keyTimekeeper) = (nil, nil, nil)
            }
            if let site, let found = self.candidatesByTarget[Target(kind: kind, site: site, client: keyClient, matter: keyMatter, timekeeper: keyTimekeeper)] {
                result += found
            }
            if let found = self.candidatesByTarget[Target(kind: kind, site: nil, client: keyClient, matter: keyMatter, timekeeper: keyTimekeeper)] {
                result += found
            }
        }
        return result
    }
}
