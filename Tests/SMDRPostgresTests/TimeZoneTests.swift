import Foundation
import SMDRCore
import SMDRPostgres
import SMDRTestSupport
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

    /// The same cases through the writer, into `call_leg`.
    @Test(.timeLimit(.minutes(2))) func callLegsStoreTheResolvedInstantAndFlags() async throws {
        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                func record(_ start: String, _ recordTime: String, callID: Int) -> [UInt8] {
                    // 35 fields: field 35 is SMDR Record Time.
                    Array(
                        "\(start),00:00:10,2,2101,O,901234,901234,,0,\(callID),0,E2101,Extn2101,T9001,Line 1.1,0,0,,,,,,,,,,,,,,,,,,\(recordTime)"
                            .utf8
                    )
                }
                let cases: [(site: String, zone: String, line: [UInt8], utc: String, ambiguous: Bool, nonexistent: Bool)] = [
                    ("London", "Europe/London", record("2024/03/31 01:30:00", "", callID: 1), "2024-03-31 01:30:00+00", false, true),
                    ("London", "Europe/London", record("2024/10/27 01:30:00", "2024/10/27 00:45:00", callID: 2), "2024-10-27 00:30:00+00", true, false),
                    ("London", "Europe/London", record("2024/10/27 01:30:00", "2024/10/27 01:45:00", callID: 3), "2024-10-27 01:30:00+00", true, false),
                    ("New York", "America/New_York", record("2024/03/10 02:30:00", "", callID: 4), "2024-03-10 07:30:00+00", false, true),
                    ("New York", "America/New_York", record("2024/11/03 01:30:00", "2024/11/03 05:40:00", callID: 5), "2024-11-03 05:30:00+00", true, false),
                    ("New York", "America/New_York", record("2024/11/03 01:30:00", "2024/11/03 06:40:00", callID: 6), "2024-11-03 06:30:00+00", true, false),
                    ("New York", "America/New_York", record("2024/07/04 12:00:00", "", callID: 7), "2024-07-04 16:00:00+00", false, false),
                ]
                for (site, zone, line, _, _, _) in cases {
                    let writer = try await makeWriter(store, site: site, timeZone: zone)
                    let counts = try await writer.write(ingestLines([line]), source: .peer(stream: site))
                    #expect(counts.new == 1 && counts.rejected == 0)
                }
                let rows = try await store.withConnection { connection in
                    try connection.execute("SET TIME ZONE 'UTC'")
                    return try connection.execute(
                        "SELECT call_id, call_start::text, time_ambiguous, time_nonexistent, call_start_local::text FROM smdr.call_leg ORDER BY call_id"
                    )
                }
                #expect(rows.count == cases.count)
                for (index, expected) in cases.enumerated() {
                    #expect(rows[index][1].string == expected.utc, "call \(index + 1)")
                    #expect(rows[index][2].bool == expected.ambiguous, "call \(index + 1)")
                    #expect(rows[index][3].bool == expected.nonexistent, "call \(index + 1)")
                }
                #expect(rows[0][4].string == "2024-03-31 01:30:00")  // the local value is kept as written
            }
        }
    }
}
