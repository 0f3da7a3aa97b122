import Foundation
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import Testing

/// The cases of `TimeZoneTests` (SMDRPostgresTests) through the batcher and the store.
struct TimeZoneLoadTests {
    /// The resolver's cases through the batcher and the store, into `call_leg`.
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
