import SMDRCore
import SMDRRating
import SMDRTestSupport
import Testing

/// Which legs of Avaya's documentation examples (`Fixtures/smdr/avaya`) are billable, and who
/// the timekeeper is, with nothing registered (every billable leg is `unassigned`).
@Suite struct DocumentationFixtureMatchingTests {
    private typealias F = MatchingFixture

    struct Expected: Sendable, CustomTestStringConvertible {
        var fixture: String
        /// (user extension, kind, external number) of each billable leg, in call order.
        var billable: [(String, LegMatch.Kind, String)]
        var testDescription: String { self.fixture }
    }

    static let cases: [Expected] = [
        Expected(fixture: "lost-incoming-call", billable: []),  // never connected
        Expected(fixture: "call-answered-by-voicemail", billable: []),  // internal caller to voicemail
        Expected(fixture: "call-transferred-to-voicemail", billable: [("4750", .talk, "01707392200")]),  // the VM leg is not
        Expected(fixture: "external-call", billable: [("23", .talk, "01707299900"), ("403", .talk, "01707299900")]),
        Expected(fixture: "internal-call", billable: []),
        Expected(fixture: "internal-twinning", billable: []),
        Expected(fixture: "call-pickup", billable: []),
        Expected(fixture: "park-and-unpark", billable: []),
        Expected(fixture: "transferred-manually", billable: [("203", .talk, "9416"), ("207", .talk, "9416")]),
        Expected(fixture: "mobile-twinned-call-answered-internally", billable: []),  // the twin leg has no talk time
        Expected(fixture: "mobile-twinned-call-answered-at-the-mobile-twin", billable: [("203", .talk, "9416")]),
        Expected(fixture: "mobile-twinned-call-picked-up-using-the-twinning-button", billable: [("203", .talk, "9416")]),
        // The conference channel ↔ trunk record is cut off in Avaya's copy: the conference has no
        // external party here, so only the consultation call to 9416 bills.
        Expected(fixture: "external-conference-party", billable: [("203", .talk, "9416")]),
        Expected(fixture: "conference-using-conference-button", billable: []),
        // 2101's consultation call to 8262623#, then 2121 and 2101 in conference 100 with it.
        Expected(
            fixture: "conference-using-conference-add-short-code",
            billable: [("2121", .conference, "8262623#"), ("2101", .talk, "8262623#"), ("2101", .conference, "8262623#")]
        ),
    ]

    @Test(arguments: cases)
    func billableLegsAndTimekeepers(_ expected: Expected) throws {
        let register = Register(timekeepers: [
            Timekeeper(id: "TK-2101", name: "Dana", userName: "Extn2101"), Timekeeper(id: "TK-203", name: "Pat", extension: "203"),
        ])
        let calls = CallStitcher().stitch(try F.fixture(expected.fixture))
        let matches = Matcher(register: register, sites: [F.site], manualAssignments: []).match(calls)
        #expect(matches.map(\.userExtension) == expected.billable.map(\.0))
        #expect(matches.map(\.kind) == expected.billable.map(\.1))
        #expect(matches.map(\.externalNumber) == expected.billable.map(\.2))
        #expect(matches.allSatisfy { $0.rule == .unassigned && $0.code == nil && !$0.unverified })
        for match in matches {
            let expectedTimekeeper = ["2101": "TK-2101", "203": "TK-203"][match.userExtension]
            #expect(match.timekeeperID == expectedTimekeeper)
            #expect(match.userName == "Extn\(match.userExtension)" || expected.fixture == "call-transferred-to-voicemail")
        }
    }

    /// Avaya's `*47` conference: 2101 and 2121 in conference 100, with 8262623# as its external
    /// party. A code entered on the external party's call bills both conference legs; the
    /// conference leg of 2101 keeps its own call's code when it has one.
    @Test func conferenceLegsTakeTheExternalPartysCode() throws {
        var lines = try #require(Fixtures.lines("smdr/avaya/conference-using-conference-add-short-code.smdr")).map { String(decoding: $0, as: UTF8.self) }
        // Call 1000024 (2101's call to 8262623#): the code entered on it, on both of its records.
        lines = lines.map { $0.contains(",1000024,") ? $0.replacingFirst(",,0,1000024,", with: ",4100,0,1000024,") : $0 }
        let register = Register(codes: [MatcherTests.code("4100", "C4100"), MatcherTests.code("4200", "C4200")])
        var matches = Matcher(register: register, sites: [F.site], manualAssignments: []).match(CallStitcher().stitch(try F.legs(lines)))
        #expect(matches.map(\.code) == ["4100", "4100", "4100"])
        #expect(matches.map(\.rule) == [.code, .code, .code])
        #expect(matches.filter { $0.kind == .conference }.map(\.userExtension) == ["2121", "2101"])

        // 2101's *47 call carries its own code: that one wins for 2101's conference leg only.
        lines = lines.map { $0.contains(",1000026,") ? $0.replacingFirst(",,1,1000026,", with: ",4200,1,1000026,") : $0 }
        matches = Matcher(register: register, sites: [F.site], manualAssignments: []).match(CallStitcher().stitch(try F.legs(lines)))
        #expect(matches.map(\.code) == ["4100", "4100", "4200"])
    }

    /// The same conference with its channels outside the documented range (as real captures show
    /// them): linked by the channel name's conference number.
    @Test func conferenceChannelsOutsideTheDocumentedRangeLinkByName() throws {
        let lines = try #require(Fixtures.lines("smdr/avaya/conference-using-conference-add-short-code.smdr"))
            .map { String(decoding: $0, as: UTF8.self) }
            .map {
                $0.replacingFirst("V11001,CO Channel 100.1", with: "V-1610602733,CO Channel 100.1")
                    .replacingFirst("V11002,CO Channel 100.2", with: "V83896082,CO Channel 100.2")
                    .replacingFirst("V11003,CO Channel 100.3", with: "V23,CO Channel 100.3")
            }
        let matches = Matcher(register: Register(), sites: [F.site], manualAssignments: []).match(CallStitcher().stitch(try F.legs(lines)))
        #expect(matches.filter { $0.kind == .conference }.map(\.userExtension) == ["2121", "2101"])
    }

    /// Conference legs with the same number far apart in time are different conferences.
    @Test func aConferenceNumberReusedLaterIsAnotherConference() throws {
        let lines = try #require(Fixtures.lines("smdr/avaya/conference-using-conference-add-short-code.smdr"))
            .map { String(decoding: $0, as: UTF8.self) }
            .map { $0.contains(",1000024,") ? $0.replacingFirst("2008/07/09 17:55", with: "2008/07/09 19:55") : $0 }
        let matches = Matcher(register: Register(), sites: [F.site], manualAssignments: []).match(CallStitcher().stitch(try F.legs(lines)))
        #expect(matches.map(\.kind) == [.talk])
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        self.replacing(target, with: replacement, maxReplacements: 1)
    }
}
