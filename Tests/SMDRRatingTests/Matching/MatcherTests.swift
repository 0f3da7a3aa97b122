import SMDRCore
import SMDRRating
import Testing

/// DESIGN §6's precedence, rule by rule and pair by pair, against one register.
@Suite struct MatcherTests {
    private typealias F = MatchingFixture

    static func code(_ code: String, _ client: String, from: LocalDate? = nil, to: LocalDate? = nil, active: Bool = true) -> AccountCode {
        AccountCode(code: code, clientID: client, clientName: "Client \(client)", matterID: "\(client)-M", active: active, validFrom: from, validTo: to)
    }

    static let register = Register(
        codes: [
            code("4100", "C4100"), code("41??", "C41QQ"), code("41*", "C41S"), code("4*", "C4S"), code("412?", "C412Q"),
            code("OLD", "COLD", to: .day(2025, 3, 23)), code("NEW", "CNEW", from: .day(2025, 3, 25)),
            code("OFF", "COFF", active: false), code("EDGE", "CEDGE", from: .day(2025, 3, 24), to: .day(2025, 3, 24)),
            code("NUM1", "CN1"), code("NUMP", "CNP"), code("NUMP2", "CNP2"), code("BLK", "CBLK"), code("DEFEXT", "CDE"),
            code("DEFUSER", "CDU"), code("DEFDDI", "CDD"), code("DEFOLD", "CDO", to: .day(2025, 1, 1)),
        ],
        numbers: [
            ClientNumber(number: "+441632960100", match: .exact, code: "NUM1"),
            ClientNumber(number: "+44163296", match: .prefix, code: "NUMP"),
            ClientNumber(number: "+441632960", match: .prefix, code: "NUMP2"),
            ClientNumber(number: "+447700900123", match: .exact, code: "BLK", blocked: true, note: "nuisance caller"),
            ClientNumber(number: "+441134960000", match: .exact, code: "OLD"),
        ],
        defaults: [
            CodeDefault(site: "London", kind: .extension, value: "2102", code: "DEFEXT"),
            CodeDefault(site: "London", kind: .user, value: "Kim Lee", code: "DEFUSER"),
            CodeDefault(site: "London", kind: .ddi, value: "02079460555", code: "DEFDDI"),
            CodeDefault(site: "London", kind: .extension, value: "2104", code: "DEFOLD"),
            CodeDefault(site: "Paris", kind: .extension, value: "2101", code: "DEFEXT"),
        ]
    )

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var line: String
        var rule: MatchRule
        var code: String?
        var client: String?
        var unverified = false
        var blocked = false
        var testDescription: String { self.name }
    }

    static let sam = ("E2102", "Sam Roe")
    static let kim = ("E2103", "Kim Lee")

    static let cases: [Case] = [
        // 3. numbers
        Case(name: "exact number", line: F.outbound("01632960100"), rule: .number, code: "NUM1", client: "CN1"),
        Case(name: "+ form", line: F.outbound("+441632960100"), rule: .number, code: "NUM1", client: "CN1"),
        Case(name: "inbound caller", line: F.inbound("01632960100"), rule: .number, code: "NUM1", client: "CN1"),
        Case(name: "longest prefix", line: F.outbound("01632960199"), rule: .numberPrefix, code: "NUMP2", client: "CNP2"),
        Case(name: "shorter prefix", line: F.outbound("01632969999"), rule: .numberPrefix, code: "NUMP", client: "CNP"),
        Case(name: "number whose code expired", line: F.outbound("01134960000"), rule: .unassigned, code: nil, client: nil),
        Case(name: "blocked number still matches", line: F.outbound("07700900123"), rule: .number, code: "BLK", client: "CBLK", blocked: true),
        // 2. codes beat numbers
        Case(name: "exact code beats number", line: F.outbound("01632960100", account: "4100"), rule: .code, code: "4100", client: "C4100"),
        Case(name: "code on a blocked number", line: F.outbound("07700900123", account: "4100"), rule: .code, code: "4100", client: "C4100", blocked: true),
        Case(name: "more literals first", line: F.outbound("01632960100", account: "4123"), rule: .codePattern, code: "412?", client: "C412Q"),
        Case(name: "? is one character", line: F.outbound("01632960100", account: "4155"), rule: .codePattern, code: "41??", client: "C41QQ"),
        Case(name: "no * before *", line: F.outbound("01632960100", account: "4199"), rule: .codePattern, code: "41??", client: "C41QQ"),
        Case(name: "* takes any rest", line: F.outbound("01632960100", account: "41555"), rule: .codePattern, code: "41*", client: "C41S"),
        Case(name: "* takes none", line: F.outbound("01632960100", account: "41"), rule: .codePattern, code: "41*", client: "C41S"),
        Case(name: "shortest pattern last", line: F.outbound("01632960100", account: "4999"), rule: .codePattern, code: "4*", client: "C4S"),
        Case(name: "valid on its only day", line: F.outbound("", account: "EDGE"), rule: .code, code: "EDGE", client: "CEDGE"),
        Case(name: "valid_to inclusive", line: F.outbound("", account: "EDGE", start: "2025/03/24 23:59:59"), rule: .code, code: "EDGE", client: "CEDGE"),
        // unverified codes stop the search: no number, no default
        Case(name: "unknown code", line: F.outbound("01632960100", account: "9999"), rule: .unassigned, code: "9999", client: nil, unverified: true),
        Case(name: "expired code", line: F.outbound("01632960100", account: "OLD"), rule: .unassigned, code: "OLD", client: nil, unverified: true),
        Case(name: "not yet valid", line: F.outbound("01632960100", account: "NEW"), rule: .unassigned, code: "NEW", client: nil, unverified: true),
        Case(name: "inactive code", line: F.outbound("01632960100", account: "OFF"), rule: .unassigned, code: "OFF", client: nil, unverified: true),
        Case(name: "day after EDGE", line: F.outbound("", account: "EDGE", start: "2025/03/25 00:00:00"), rule: .unassigned, code: "EDGE", client: nil, unverified: true),
        Case(name: "unknown code over default", line: F.outbound("", account: "X1", user: sam), rule: .unassigned, code: "X1", client: nil, unverified: true),
        // 4. defaults
        Case(name: "extension default", line: F.outbound("02079460999", user: sam), rule: .default, code: "DEFEXT", client: "CDE"),
        Case(name: "user default", line: F.outbound("02079460999", user: kim), rule: .default, code: "DEFUSER", client: "CDU"),
        Case(name: "DDI default", line: F.inbound("02079460999", ddi: "02079460555"), rule: .default, code: "DEFDDI", client: "CDD"),
        Case(name: "number beats default", line: F.outbound("01632960100", user: sam), rule: .number, code: "NUM1", client: "CN1"),
        Case(name: "code beats default", line: F.outbound("02079460999", account: "4100", user: sam), rule: .code, code: "4100", client: "C4100"),
        Case(name: "expired default", line: F.outbound("02079460999", user: ("E2104", "Lou Ray")), rule: .unassigned, code: nil, client: nil),
        // 5. nothing
        Case(name: "unregistered number", line: F.outbound("02079460999"), rule: .unassigned, code: nil, client: nil),
        Case(name: "withheld caller", line: F.inbound(""), rule: .unassigned, code: nil, client: nil),
        Case(name: "other site's default", line: F.outbound(""), rule: .unassigned, code: nil, client: nil),
    ]

    @Test(arguments: cases)
    func precedence(_ example: Case) throws {
        let matches = try F.match([example.line], register: Self.register)
        try #require(matches.count == 1)
        let match = matches[0]
        #expect(match.rule == example.rule)
        #expect(match.code == example.code)
        #expect(match.clientID == example.client)
        #expect(match.matterID == example.client.map { "\($0)-M" })
        #expect(match.unverified == example.unverified)
        #expect(match.blocked == example.blocked)
        #expect(match.kind == .talk)
    }

    /// The register's order never changes which pattern wins.
    @Test func patternOrderDoesNotDependOnTheRegistersOrder() throws {
        var generator = SystemRandomNumberGenerator()
        let line = F.outbound("", account: "4123")
        for _ in 0..<10 {
            var register = Self.register
            register.codes.shuffle(using: &generator)
            #expect(try F.match([line], register: register).first?.code == "412?")
        }
        // Same literal count and both without `*`: the text decides, byte by byte (`412?` < `41?3`,
        // `2` sorts before `?`), in every register order.
        for _ in 0..<10 {
            var register = Self.register
            register.codes.append(Self.code("41?3", "C41Q3"))
            register.codes.shuffle(using: &generator)
            #expect(try F.match([line], register: register).first?.code == "412?")
            register.codes.removeAll { $0.code == "412?" }
            #expect(try F.match([line], register: register).first?.code == "41?3")
        }
    }

    @Test func anInvalidPatternGivesWayToTheNextValidOne() throws {
        var register = Self.register
        register.codes.removeAll { $0.code == "412?" }
        register.codes.append(Self.code("412?", "C412Q", active: false))
        #expect(try F.match([F.outbound("", account: "4123")], register: register).first?.code == "41??")
    }

    // MARK: - 1. manual assignments

    @Test(arguments: [
        ("", "01632960100", "4100", "C4100", false),  // beats a number
        ("4100", "", "BLK", "CBLK", false),  // beats an entered code
        ("9999", "", "OFF", "COFF", false),  // an inactive code still bills: a person chose it
        ("", "", "OLD", "COLD", false),  // an expired one too
        ("", "01632960100", "GONE", nil, true),  // a code the register does not have: unverified, unassigned
    ] as [(String, String, String, String?, Bool)])
    func aManualAssignmentWins(entered: String, number: String, assigned: String, client: String?, unverified: Bool) throws {
        let line = F.outbound(number, account: entered)
        let calls = CallStitcher().stitch(try F.legs([line]))
        let manual = ManualAssignment(call: try #require(calls.first).key, code: assigned, note: "client asked", assignedBy: "billing")
        let matches = Matcher(register: Self.register, sites: [F.site], manualAssignments: [manual]).match(calls)
        #expect(matches.map(\.rule) == [unverified ? .unassigned : .manual])
        #expect(matches.first?.code == assigned)
        #expect(matches.first?.clientID == client)
        #expect(matches.first?.unverified == unverified)
        #expect(matches.first?.enteredCode == entered)
    }

    @Test func aManualAssignmentForAnotherCallChangesNothing() throws {
        let calls = CallStitcher().stitch(try F.legs([F.outbound("01632960100")]))
        var key = try #require(calls.first).key
        key.startLocal.second += 1
        let matches = Matcher(register: Self.register, sites: [F.site], manualAssignments: [ManualAssignment(call: key, code: "4100")]).match(calls)
        #expect(matches.map(\.rule) == [.number])
    }

    @Test func replacingManualAssignmentsMatchesAsAFreshMatcherWould() throws {
        let calls = CallStitcher().stitch(try F.legs([F.outbound("01632960100"), F.outbound("", account: "4100")]))
        let assigned = [ManualAssignment(call: try #require(calls.last).key, code: "BLK")]
        let fresh = Matcher(register: Self.register, sites: [F.site], manualAssignments: assigned).match(calls)
        let base = Matcher(register: Self.register, sites: [F.site], manualAssignments: [])
        #expect(base.replacingManualAssignments(assigned).match(calls) == fresh)
        #expect(fresh.map(\.rule).contains(.manual))
        // The base keeps its own (none).
        #expect(!base.match(calls).map(\.rule).contains(.manual))
    }

    /// The store reads an assignment with its code's client: that wins over a register read
    /// before the code was registered.
    @Test func anAssignmentsOwnBillingWinsOverAnOlderRegister() throws {
        let calls = CallStitcher().stitch(try F.legs([F.outbound("01632960100")]))
        let manual = ManualAssignment(call: try #require(calls.first).key, code: "NEW1", clientID: "CNEW", matterID: "M9")
        let matches = Matcher(register: Self.register, sites: [F.site], manualAssignments: [manual]).match(calls)
        #expect(matches.map(\.rule) == [.manual])
        #expect(matches.first.map { [$0.code, $0.clientID, $0.matterID] } == ["NEW1", "CNEW", "M9"])
        #expect(matches.first?.unverified == false)
    }

    @Test func registeringAnUnverifiedCodeLaterBillsIt() throws {
        let line = F.outbound("01632960100", account: "7777")
        #expect(try F.match([line], register: Self.register).map(\.unverified) == [true])
        var register = Self.register
        register.codes.append(Self.code("7777", "C7777"))
        let rematched = try F.match([line], register: register)
        #expect(rematched.map(\.rule) == [.code])
        #expect(rematched.map(\.clientID) == ["C7777"])
        #expect(rematched.map(\.unverified) == [false])
    }

    // MARK: - The call's code, timekeepers

    /// Avaya's "Transferred Manually" with a code entered only on the last leg: both legs bill it,
    /// each to its own timekeeper.
    @Test func aCodeOnTheLastLegOfATransferBillsEveryLeg() throws {
        let lines = [
            "2008/07/09 16:33:19,00:00:05,3,203,O,9416,9416,,0,1000044,1,E203,Extn203,T9005,Line 5.1,0,0,,,,,,,,,,,U XfP,Extn207,,",
            "2008/07/09 16:33:09,00:00:02,2,207,O,203,203,,1,1000043,0,E207,Extn207,E203,Extn203,11,0,,,,,,,,,,,,,,",
            "2008/07/09 16:33:19,00:00:04,0,207,O,9416,9416,4100,0,1000044,0,E207,Extn207,T9005,Line 5.1,0,0,,,Extn207,,,,,,,,U Xfd,Extn203,,",
        ]
        var register = Self.register
        register.timekeepers = [Timekeeper(id: "TK203", name: "Pat", userName: "Extn203"), Timekeeper(id: "TK207", name: "Lee", extension: "207")]
        let matches = try F.match(lines, register: register)
        #expect(matches.map(\.userExtension) == ["203", "207"])
        #expect(matches.map(\.timekeeperID) == ["TK203", "TK207"])
        #expect(matches.map(\.code) == ["4100", "4100"])
        #expect(matches.map(\.rule) == [.code, .code])
        #expect(matches.map(\.enteredCode) == ["4100", "4100"])
        #expect(Set(matches.map(\.call)).count == 1)
    }

    @Test(arguments: [
        ([Timekeeper(id: "BYUSER", name: "Dana", site: "London", userName: "Dana Dee"), Timekeeper(id: "BYEXT", name: "Dana", site: "London", extension: "2101")], "BYUSER"),
        ([Timekeeper(id: "BYEXT", name: "Dana", site: "London", extension: "2101"), Timekeeper(id: "ANYUSER", name: "Dana", userName: "Dana Dee")], "ANYUSER"),
        ([Timekeeper(id: "ANYEXT", name: "Dana", extension: "2101"), Timekeeper(id: "BYEXT", name: "Dana", site: "London", extension: "2101")], "BYEXT"),
        ([Timekeeper(id: "ANYEXT", name: "Dana", extension: "2101")], "ANYEXT"),
        ([Timekeeper(id: "PARIS", name: "Dana", site: "Paris", userName: "Dana Dee")], nil),
        ([Timekeeper(id: "OTHER", name: "Sam", site: "London", extension: "2102", userName: "Sam Roe")], nil),
    ] as [([Timekeeper], String?)])
    func timekeeperByUserNameThenExtension(timekeepers: [Timekeeper], expected: String?) throws {
        var register = Self.register
        register.timekeepers = timekeepers
        #expect(try F.match([F.outbound("01632960100")], register: register).map(\.timekeeperID) == [expected])
    }

    @Test func aLegOfAnUnknownSiteStillMatchesByCodeAndPlusNumbers() throws {
        let legs = try F.legs([F.outbound("+441632960100"), F.outbound("01632960100", account: "4100", callID: 1_000_002)], siteID: 9)
        let matches = Matcher(register: Self.register, sites: [F.site], manualAssignments: []).match(CallStitcher().stitch(legs))
        #expect(matches.map(\.rule) == [.number, .code])
    }
}
