public import SMDRCore

/// Gives every billable leg of a set of calls its code, by DESIGN §6's precedence (first hit
/// wins; each leg records its ``MatchRule``):
///
/// 1. `manual`: a ``ManualAssignment`` for the call; its code's client and matter, even when the
///    code is inactive or expired (a person chose it).
/// 2. `code` / `code_pattern`: the call's account code (``StitchedCall/accountCode``, applied to
///    all its legs), valid on the call's local date: the exact code, then the most specific valid
///    IP Office pattern (``CodePattern``). An entered code that matches nothing valid stops here:
///    kept as entered, ``LegMatch/unverified``, rule `unassigned`, no client.
/// 3. `number` / `number_prefix`: the external number in E.164 (the site's ``DialPlan``) against
///    the registered client numbers, exact then longest prefix, when the number's code is valid on
///    the call's date.
/// 4. `default`: the site's default for the user's extension, user name, or (inbound) DDI, when
///    that code is valid on the call's date.
/// 5. `unassigned`.
///
/// ``LegMatch/blocked`` says the external number hit a blocked registered number, whatever rule
/// matched. A conference leg (an internal user's leg to a conference channel) is billable when its
/// conference has an external party (``ConferenceIndex``); its entered code is its own call's, else
/// the first entered code among the external parties' calls; its number is the first external
/// party's number that is registered, else the first external party's.
///
/// `init` builds every lookup once; `match` does no per-leg work beyond dictionary lookups, one
/// normalisation and the result. It reads legs in place (``Span``) rather than copying them, and
/// looks at a leg's strings only once the leg is billable.
public struct Matcher: Sendable {
    private let codes: CodeBook
    private let numbers: [ClientNumber]
    /// The registered code of each of ``numbers`` (same index), whatever its validity; `nil` when
    /// the register lacks it.
    private let numberCodes: [AccountCode?]
    private let numberTable: NumberTable<Int>
    private let siteRegisters: [Int: SiteRegister]
    /// For legs of a site not passed to `init`: no dial plan (only `+` numbers normalise), no
    /// defaults, only the timekeepers registered for any site.
    private let unknownSite: SiteRegister
    private var manualAssignments: [CallKey: ManualAssignment]

    /// - Parameters:
    ///   - register: the codes, numbers, defaults and timekeepers to match against.
    ///   - sites: every site the legs come from (id set), for dial plans and site names.
    ///   - manualAssignments: codes people gave calls; they win over every rule.
    public init(register: Register, sites: [Site], manualAssignments: [ManualAssignment]) {
        let codes = CodeBook(register.codes)
        self.codes = codes
        self.numbers = register.numbers
        self.numberCodes = register.numbers.map { codes.registered($0.code) }
        var exact: [(number: String, value: Int)] = []
        var prefixes: [(prefix: String, value: Int)] = []
        var seenExact = Set<String>()
        var seenPrefixes = Set<String>()
        for (index, number) in register.numbers.enumerated() {
            switch number.match {
            case .exact: if seenExact.insert(number.number).inserted { exact.append((number.number, index)) }
            case .prefix: if seenPrefixes.insert(number.number).inserted { prefixes.append((number.number, index)) }
            }
        }
        self.numberTable = NumberTable(exact: exact, prefixes: prefixes)
        var siteRegisters: [Int: SiteRegister] = [:]
        for site in sites {
            guard let id = site.id else { continue }
            siteRegisters[id] = SiteRegister(
                siteName: site.name, dialPlan: DialPlan(site: site), defaults: register.defaults, timekeepers: register.timekeepers
            )
        }
        self.siteRegisters = siteRegisters
        self.unknownSite = SiteRegister(
            siteName: nil, dialPlan: DialPlan(countryCode: "", nationalPrefix: "", internationalPrefix: ""), defaults: [],
            timekeepers: register.timekeepers
        )
        self.manualAssignments = Self.byCall(manualAssignments)
    }

    /// This matcher with `manualAssignments` in place of its own: the register's lookups are
    /// shared, not rebuilt (a driver matching month by month reads each month's assignments).
    public func replacingManualAssignments(_ manualAssignments: [ManualAssignment]) -> Matcher {
        var matcher = self
        matcher.manualAssignments = Self.byCall(manualAssignments)
        return matcher
    }

    private static func byCall(_ assignments: [ManualAssignment]) -> [CallKey: ManualAssignment] {
        Dictionary(assignments.map { ($0.call, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// What the legs of one call share while they are matched.
    private struct CallContext {
        let index: Int
        let key: CallKey
        let date: LocalDate
        let site: SiteRegister
        let manual: ManualAssignment?
        /// The call's account code (``StitchedCall/accountCode``), once a billable leg needed it.
        var enteredCode: String?
    }

    /// The billable legs of `calls` with their matches, in the calls' order. Conference legs are
    /// linked across the given calls (pass whole periods).
    public func match(_ calls: [StitchedCall]) -> [LegMatch] {
        let conferences = ConferenceIndex(calls: calls)
        let callSpan = calls.span
        var result: [LegMatch] = []
        // Room for every leg that may bill, rather than copying a growing result again and again.
        result.reserveCapacity(conferences.userLegCount)
        var site = self.unknownSite
        var siteID: Int?
        for callIndex in callSpan.indices {
            let key = callSpan[callIndex].key
            if key.siteID != siteID {
                siteID = key.siteID
                site = self.siteRegisters[key.siteID] ?? self.unknownSite
            }
            var context = CallContext(
                index: callIndex, key: key, date: key.startLocal.date, site: site,
                manual: self.manualAssignments.isEmpty ? nil : self.manualAssignments[key]
            )
            let legs = callSpan[callIndex].legs.span
            for legIndex in legs.indices {
                self.match(legs, at: legIndex, in: &context, calls: calls, conferences: conferences, into: &result)
            }
        }
        return result
    }

    /// Appends the match of leg `legIndex` of a call (`legs`) to `result` when the leg is billable.
    ///
    /// Reads the leg's fields in place, each when it needs it: taking the leg as a value would
    /// copy it whole (a dozen strings) for the few fields a billable leg needs.
    private func match(
        _ legs: Span<MatchLeg>, at legIndex: Int, in context: inout CallContext, calls: [StitchedCall],
        conferences: ConferenceIndex, into result: inout [LegMatch]
    ) {
        let userIsParty1: Bool
        let external: String
        let externalE164: String?
        let hit: (value: Int, match: NumberTable<Int>.Match)?
        let entered: String
        let kind: LegMatch.Kind
        switch LegRole(legs[legIndex]) {
        case .talk(let isParty1):
            userIsParty1 = isParty1
            kind = .talk
            // ``MatchLeg/trunkPartyNumber``, field by field (a getter would copy the leg).
            let direction = legs[legIndex].direction
            external = direction == .inbound ? legs[legIndex].callerNumber : legs[legIndex].dialledNumber
            externalE164 = context.site.compiledDialPlan.normalise(external, direction: direction).e164
            hit = externalE164.flatMap { self.numberTable.lookup($0) }
            if context.enteredCode == nil { context.enteredCode = StitchedCall.accountCode(of: legs) }
            entered = context.enteredCode ?? ""
        case .conferenceUser(let isParty1):
            let parties = conferences.externalParties(of: ConferenceIndex.Position(call: context.index, leg: legIndex))
            guard !parties.isEmpty else { return }
            userIsParty1 = isParty1
            kind = .conference
            if context.enteredCode == nil { context.enteredCode = StitchedCall.accountCode(of: legs) }
            let callCode = context.enteredCode ?? ""
            entered = callCode.isEmpty ? Self.firstEnteredCode(of: parties, in: calls) : callCode
            (external, externalE164, hit) = self.conferenceNumber(of: parties, in: calls)
        case .conferenceExternal, .none:
            return
        }
        let userCode = userIsParty1 ? legs[legIndex].party1Device.code : legs[legIndex].party2Device.code
        let userName = userIsParty1 ? legs[legIndex].party1Name : legs[legIndex].party2Name
        let userExtension = String(userCode.dropFirst())
        let entries = context.site.entries(extension: userExtension, userName: userName)
        let resolution = self.resolve(
            manual: context.manual, entered: entered, date: context.date, hit: hit, site: context.site, entries: entries,
            leg: legs, at: legIndex
        )
        result.append(
            LegMatch(
                leg: legs[legIndex].key, call: context.key, kind: kind, userExtension: userExtension, userName: userName,
                timekeeperID: SiteRegister.timekeeper(entries)?.id, enteredCode: entered,
                code: resolution.code, clientID: resolution.clientID, matterID: resolution.matterID,
                rule: resolution.rule, unverified: resolution.unverified,
                blocked: hit.map { self.numbers[$0.value].blocked } ?? false, externalNumber: external,
                externalE164: externalE164
            )
        )
    }

    private struct Resolution {
        var rule: MatchRule
        var code: String?
        var clientID: String?
        var matterID: String?
        var unverified = false

        init(rule: MatchRule, code: String?, billing: AccountCode?, unverified: Bool = false) {
            self.rule = rule
            self.code = code
            self.clientID = billing?.clientID
            self.matterID = billing?.matterID
            self.unverified = unverified
        }
    }

    private func resolve(
        manual: ManualAssignment?, entered: String, date: LocalDate, hit: (value: Int, match: NumberTable<Int>.Match)?,
        site: SiteRegister, entries: (extension: SiteRegister.Entry, user: SiteRegister.Entry), leg legs: Span<MatchLeg>,
        at legIndex: Int
    ) -> Resolution {
        // 1. A person chose the code: it stands even when the code is no longer valid. (The
        // database only records registered codes; a code missing from the register given here
        // bills nobody, like an unverified entered code.)
        if let manual {
            // The billing read with the assignment is the freshest: a code registered and
            // assigned while a long run goes on is not in this matcher's register yet.
            if let clientID = manual.clientID {
                let billing = AccountCode(code: manual.code, clientID: clientID, clientName: "", matterID: manual.matterID)
                return Resolution(rule: .manual, code: manual.code, billing: billing)
            }
            guard let registered = self.codes.registered(manual.code) else {
                return Resolution(rule: .unassigned, code: manual.code, billing: nil, unverified: true)
            }
            return Resolution(rule: .manual, code: manual.code, billing: registered)
        }
        // 2. The code entered on the phone; an unknown one stops here, unverified.
        if !entered.isEmpty {
            switch self.codes.match(entered, on: date) {
            case .exact(let code): return Resolution(rule: .code, code: code.code, billing: code)
            case .pattern(let code): return Resolution(rule: .codePattern, code: code.code, billing: code)
            case nil: return Resolution(rule: .unassigned, code: entered, billing: nil, unverified: true)
            }
        }
        // 3. The external number.
        if let hit, let code = self.numberCodes[hit.value], code.isValid(on: date) {
            let rule: MatchRule
            switch hit.match {
            case .exact: rule = .number
            case .prefix: rule = .numberPrefix
            }
            return Resolution(rule: rule, code: code.code, billing: code)
        }
        // 4. The site's default for the extension, user or DDI.
        if let text = site.defaultCode(
            entries, direction: legs[legIndex].direction, calledNumber: legs[legIndex].calledNumber,
            dialledNumber: legs[legIndex].dialledNumber
        ),
            let code = self.codes.registered(text), code.isValid(on: date)
        {
            return Resolution(rule: .default, code: code.code, billing: code)
        }
        return Resolution(rule: .unassigned, code: nil, billing: nil)
    }

    /// The first non-empty account code among the calls of a conference's external parties.
    private static func firstEnteredCode(of parties: [ConferenceIndex.Position], in calls: [StitchedCall]) -> String {
        for party in parties {
            let code = calls[party.call].accountCode
            if !code.isEmpty { return code }
        }
        return ""
    }

    /// The conference's external number: the first external party whose number is registered,
    /// else the first external party's.
    private func conferenceNumber(
        of parties: [ConferenceIndex.Position], in calls: [StitchedCall]
    ) -> (String, String?, (value: Int, match: NumberTable<Int>.Match)?) {
        var first: (String, String?)?
        for party in parties {
            let leg = calls[party.call].legs[party.leg]
            let site = self.siteRegisters[leg.key.siteID] ?? self.unknownSite
            let number = leg.trunkPartyNumber
            let e164 = site.compiledDialPlan.normalise(number, direction: leg.direction).e164
            if let e164, let hit = self.numberTable.lookup(e164) { return (number, e164, hit) }
            if first == nil { first = (number, e164) }
        }
        return (first?.0 ?? "", first?.1, nil)
    }
}
