import SMDRCore
import SMDRRating
import Testing

@Suite struct CallStitcherTests {
    private typealias F = MatchingFixture

    private static func leg(_ start: String, callID: Int, continued: Bool = false, ext: String = "E2101") -> String {
        F.line(start, caller: "2101", "O", called: "01632960100", callID: callID, continued: continued, party1: (ext, "Dana Dee"), party2: ("T9001", "Line 1.0"))
    }

    @Test func theSameCallIDTwoDaysApartIsTwoCalls() throws {
        // Call IDs restart at 1,000,000 after a reboot.
        let legs = try F.legs([Self.leg("2025/03/24 10:00:00", callID: 1_000_000), Self.leg("2025/03/26 09:00:00", callID: 1_000_000)])
        let calls = CallStitcher().stitch(legs)
        #expect(calls.map(\.legs.count) == [1, 1])
        #expect(calls.map(\.key.startLocal.day) == [24, 26])
        #expect(Set(calls.map(\.key)).count == 2)
    }

    @Test func callSplittingForDivertsKeepsTheCall() throws {
        // The second leg carries the forward time, 3 minutes after the first.
        let legs = try F.legs([
            Self.leg("2025/03/24 10:00:00", callID: 1_000_007, continued: true),
            Self.leg("2025/03/24 10:03:00", callID: 1_000_007, ext: "E2102"),
        ])
        let calls = CallStitcher().stitch(legs)
        #expect(calls.count == 1)
        #expect(calls.first?.key == CallKey(siteID: F.siteID, callID: 1_000_007, startLocal: legs[0].key.startLocal))
        #expect(calls.first?.legs.map(\.party1Device.code) == ["E2101", "E2102"])
        #expect(calls.first?.hasFinalLeg == true)
    }

    @Test func aCallAcrossMidnightIsOneCallKeyedByItsFirstDay() throws {
        let legs = try F.legs([
            Self.leg("2025/03/25 00:02:00", callID: 1_000_100),
            Self.leg("2025/03/24 23:59:30", callID: 1_000_100, continued: true),
        ])
        let calls = CallStitcher().stitch(legs)
        #expect(calls.count == 1)
        #expect(calls.first?.key.startLocal.date == LocalDate.day(2025, 3, 24))
        #expect(calls.first?.legs.map(\.key.startLocal.day) == [24, 25])
    }

    @Test(arguments: [(86_400, 1), (86_401, 2), (86_399, 1)])
    func theWindowIsInclusiveOfItsEnd(gap: Int, expectedCalls: Int) throws {
        var legs = try F.legs([Self.leg("2025/03/24 10:00:00", callID: 1_000_001, continued: true), Self.leg("2025/03/24 10:00:00", callID: 1_000_001)])
        legs[1].startEpoch += gap
        #expect(CallStitcher().stitch(legs).count == expectedCalls)
        #expect(CallStitcher(windowSeconds: gap - 1).stitch(legs).count == 2)
    }

    @Test func interleavedLegsInAnyOrderGiveTheSameCalls() throws {
        var lines: [String] = []
        for call in 0..<40 {
            let minute = call % 60
            let start = "2025/03/24 10:\(minute < 10 ? "0" : "")\(minute):00"
            for part in 0..<(1 + call % 3) {
                lines.append(Self.leg(start, callID: 1_000_000 + call % 17, continued: part < call % 3, ext: "E\(2100 + part)"))
            }
        }
        let legs = try F.legs(lines)
        let expected = CallStitcher().stitch(legs)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let shuffled = legs.shuffled(using: &generator)
            #expect(CallStitcher().stitch(shuffled) == expected)
        }
        #expect(expected.reduce(0) { $0 + $1.legs.count } == legs.count)
        // Calls sorted by key; legs of a call by start, then ordinal; every leg of a call shares its Call ID.
        #expect(expected.map(\.key) == expected.map(\.key).sorted())
        for call in expected {
            #expect(call.legs.allSatisfy { $0.key.callID == call.key.callID && $0.startEpoch - call.legs[0].startEpoch <= 86_400 })
            #expect(call.legs.map { [$0.startEpoch, $0.key.legOrdinal] } == call.legs.map { [$0.startEpoch, $0.key.legOrdinal] }.sorted { $0.lexicographicallyPrecedes($1) })
        }
    }

    @Test func sitesAreKeptApart() throws {
        let line = Self.leg("2025/03/24 10:00:00", callID: 1_000_001)
        let legs = try F.legs([line], siteID: 1) + F.legs([line], siteID: 2)
        #expect(CallStitcher().stitch(legs).map(\.key.siteID) == [1, 2])
    }
}
