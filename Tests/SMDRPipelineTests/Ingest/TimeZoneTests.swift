import Foundation
import SMDRCore
import SMDRPipeline
import Testing

/// DESIGN §5: Call Start is PBX local time; the spring gap is flagged and shifted forward, the
/// repeated autumn hour is flagged and resolved from SMDR Record Time (UTC) or arrival time.
struct TimeZoneTests {
    static let london = TimeZone(identifier: "Europe/London")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func utc(_ text: String) -> Int64 {
        // "YYYY-MM-DD HH:MM:SS" in UTC.
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
        let local = LocalDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
        var utcResolver = TimeZoneResolver(timeZone: TimeZone(identifier: "UTC")!)
        return utcResolver.resolve(local, recordTime: nil, receivedAt: Date()).epochSeconds
    }

    static func local(_ text: String) -> LocalDateTime {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).map { Int($0)! }
        return LocalDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5])
    }

    static func date(_ text: String) -> Date { Date(timeIntervalSince1970: TimeInterval(Self.utc(text))) }

    @Test func ordinaryTimesUseTheZoneOffset() {
        var london = TimeZoneResolver(timeZone: Self.london)
        let summer = london.resolve(Self.local("2024-06-28 09:28:41"), recordTime: nil, receivedAt: Date())
        #expect(summer == .init(epochSeconds: Self.utc("2024-06-28 08:28:41"), isAmbiguous: false, isNonexistent: false))
        let winter = london.resolve(Self.local("2024-01-15 09:00:00"), recordTime: nil, receivedAt: Date())
        #expect(winter.epochSeconds == Self.utc("2024-01-15 09:00:00"))
        var newYork = TimeZoneResolver(timeZone: Self.newYork)
        #expect(newYork.resolve(Self.local("2024-07-04 12:00:00"), recordTime: nil, receivedAt: Date()).epochSeconds == Self.utc("2024-07-04 16:00:00"))
        // Just outside the changes nothing is flagged.
        let beforeGap = newYork.resolve(Self.local("2024-03-10 01:59:59"), recordTime: nil, receivedAt: Date())
        #expect(beforeGap == .init(epochSeconds: Self.utc("2024-03-10 06:59:59"), isAmbiguous: false, isNonexistent: false))
        let afterGap = newYork.resolve(Self.local("2024-03-10 03:00:00"), recordTime: nil, receivedAt: Date())
        #expect(afterGap == .init(epochSeconds: Self.utc("2024-03-10 07:00:00"), isAmbiguous: false, isNonexistent: false))
    }

    @Test func springGapIsFlaggedAndShiftedForward() {
        // London: clocks go 01:00 GMT -> 02:00 BST on 2024-03-31; 01:30 does not exist, read as 02:30 BST.
        var london = TimeZoneResolver(timeZone: Self.london)
        let gap = london.resolve(Self.local("2024-03-31 01:30:00"), recordTime: nil, receivedAt: Date())
        #expect(gap == .init(epochSeconds: Self.utc("2024-03-31 01:30:00"), isAmbiguous: false, isNonexistent: true))
        // New York: 02:00 EST -> 03:00 EDT on 2024-03-10; 02:30 is read as 03:30 EDT (07:30 UTC).
        var newYork = TimeZoneResolver(timeZone: Self.newYork)
        let nyGap = newYork.resolve(Self.local("2024-03-10 02:30:00"), recordTime: nil, receivedAt: Date())
        #expect(nyGap == .init(epochSeconds: Self.utc("2024-03-10 07:30:00"), isAmbiguous: false, isNonexistent: true))
    }

    @Test func repeatedHourIsResolvedFromRecordTimeThenArrival() {
        // London: 02:00 BST -> 01:00 GMT on 2024-10-27; 01:30 happens at 00:30 UTC and again at 01:30 UTC.
        var london = TimeZoneResolver(timeZone: Self.london)
        let start = Self.local("2024-10-27 01:30:00")
        let first = Self.utc("2024-10-27 00:30:00")
        let second = Self.utc("2024-10-27 01:30:00")
        // Record written at 00:45 UTC: the call must have started the first time round.
        let early = london.resolve(start, recordTime: Self.local("2024-10-27 00:45:00"), receivedAt: Self.date("2024-10-27 09:00:00"))
        #expect(early == .init(epochSeconds: first, isAmbiguous: true, isNonexistent: false))
        // Record written at 01:45 UTC: the latest candidate not after it is the second.
        let late = london.resolve(start, recordTime: Self.local("2024-10-27 01:45:00"), receivedAt: Self.date("2024-10-27 00:50:00"))
        #expect(late == .init(epochSeconds: second, isAmbiguous: true, isNonexistent: false))
        // No record time: arrival decides.
        let arrivedEarly = london.resolve(start, recordTime: nil, receivedAt: Self.date("2024-10-27 00:40:00"))
        #expect(arrivedEarly.epochSeconds == first)
        #expect(arrivedEarly.isAmbiguous)
        let arrivedLate = london.resolve(start, recordTime: nil, receivedAt: Self.date("2024-10-27 02:00:00"))
        #expect(arrivedLate.epochSeconds == second)

        // New York: 02:00 EDT -> 01:00 EST on 2024-11-03; 01:30 is 05:30 UTC (EDT) or 06:30 UTC (EST).
        var newYork = TimeZoneResolver(timeZone: Self.newYork)
        let nyStart = Self.local("2024-11-03 01:30:00")
        let edt = newYork.resolve(nyStart, recordTime: Self.local("2024-11-03 05:40:00"), receivedAt: Date())
        #expect(edt == .init(epochSeconds: Self.utc("2024-11-03 05:30:00"), isAmbiguous: true, isNonexistent: false))
        let est = newYork.resolve(nyStart, recordTime: nil, receivedAt: Self.date("2024-11-03 06:35:00"))
        #expect(est == .init(epochSeconds: Self.utc("2024-11-03 06:30:00"), isAmbiguous: true, isNonexistent: false))
        // A reference before both candidates (a wrong clock) takes the earlier one.
        let wrongClock = newYork.resolve(nyStart, recordTime: Self.local("2024-11-01 00:00:00"), receivedAt: Date())
        #expect(wrongClock.epochSeconds == Self.utc("2024-11-03 05:30:00"))
    }
}
