import SMDRCore
import SMDRRating
import SMDRSimulation
import Testing

/// A `StreamGenerator` stream (a law firm, with `*47` conferences that include an external party,
/// every other one with an account code on the external party's call): every billable leg gets
/// exactly one match, and conference legs match through their external party.
@Suite struct GeneratedStreamMatchingTests {
    /// The generator's offices dial `9` for an outside line (London dial plan).
    static let site = Site(
        id: 1, name: "London", timeZone: "Europe/London", countryCode: "44", nationalPrefix: "0", internationalPrefix: "00",
        trunkAccessCode: "9"
    )

    @Test func everyBillableLegGetsExactlyOneMatch() throws {
        var generator = StreamGenerator(seed: 11, width: 35)
        let lines = (0..<30_000).map { _ in generator.nextLine() }
        let legs = try MatchingFixture.legs(lines)
        let plan = DialPlan(site: Self.site)

        // The register: every code entered in the stream, and the number of every conference's
        // external party (as the site's dial plan normalises it).
        var codes = Set(legs.map(\.accountCode).filter { !$0.isEmpty })
        codes.remove("")
        let externalParties = legs.filter { leg in
            leg.connectedSeconds > 0 && Set([leg.party1Device.kind, leg.party2Device.kind]) == [.conference, .trunk]
        }
        let partyNumbers = Set(externalParties.compactMap { plan.normalise($0.dialledNumber, direction: $0.direction).e164 })
        let register = Register(
            codes: codes.map { AccountCode(code: $0, clientID: "client-\($0)", clientName: $0) },
            numbers: partyNumbers.map { ClientNumber(number: $0, match: .exact, code: "CONF") },
        )
        var withConferenceCode = register
        withConferenceCode.codes.append(AccountCode(code: "CONF", clientID: "conference-client", clientName: "Conference client"))

        let calls = CallStitcher().stitch(legs)
        let matches = Matcher(register: withConferenceCode, sites: [Self.site], manualAssignments: []).match(calls)

        // Billable legs, found here from the parties alone.
        func kinds(_ leg: MatchLeg) -> Set<Device.Kind> { [leg.party1Device.kind, leg.party2Device.kind] }
        let talk = legs.filter { $0.connectedSeconds > 0 && kinds($0) == [.extension, .trunk] }
        let conference = legs.filter { $0.connectedSeconds > 0 && kinds($0) == [.extension, .conference] }
        try #require(conference.count > 20)
        try #require(!externalParties.isEmpty)

        let matched = Dictionary(grouping: matches, by: \.leg)
        #expect(matched.count == matches.count, "a leg matched twice")
        #expect(Set(matched.keys) == Set((talk + conference).map(\.key)))
        #expect(matches.filter { $0.kind == .conference }.count == conference.count)

        // Talk legs: every code entered is registered, so every one with a code bills it.
        for match in matches where match.kind == .talk && !match.enteredCode.isEmpty {
            #expect(match.rule == .code && match.code == match.enteredCode && match.clientID == "client-\(match.enteredCode)")
        }
        // Conference legs: the users' own *47 calls carry no code; the code or number is the
        // external party's.
        let partyRawNumbers = Set(externalParties.map(\.dialledNumber))
        var byCode = 0
        var byNumber = 0
        for match in matches where match.kind == .conference {
            #expect(partyRawNumbers.contains(match.externalNumber))
            if !match.enteredCode.isEmpty {
                byCode += 1
                #expect(match.rule == .code && match.code == match.enteredCode)
            } else if match.externalE164 != nil {
                byNumber += 1
                #expect(match.rule == .number && match.clientID == "conference-client")
            } else {
                #expect(match.rule == .unassigned)
            }
        }
        #expect(byCode > 0)
        // The site's dial plan normalises the parties' dialled numbers: the rest match by number.
        #expect(!partyNumbers.isEmpty)
        #expect(byNumber > 0)
    }
}
