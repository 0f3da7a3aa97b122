import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct PostgresConnectionTests {
    @Test func parametersAndNullsRoundTrip() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            let rows = try connection.execute(
                "SELECT $1::int + 1 AS next, $2::text AS name, $3::text IS NULL AS missing, $4::bytea AS raw, $5::bool AS flag",
                [41, "Ann O'Hara \"x\" \\ tab\there", nil, .bytes([0, 1, 0xFF, 0x5C, 0x0A]), true]
            )
            let row = try #require(rows.first)
            #expect(row["next"].int == 42)
            #expect(row["name"].string == "Ann O'Hara \"x\" \\ tab\there")
            #expect(row["missing"].bool == true)
            #expect(row["raw"].bytea == [0, 1, 0xFF, 0x5C, 0x0A])
            #expect(row["flag"].bool == true)
            #expect(try connection.execute("SELECT NULL::text")[0][0].isNull)
        }
    }

    @Test func parametersNeverBecomeSQL() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v text)")
            let hostile = "x'); DROP TABLE t; --"
            try connection.execute("INSERT INTO t VALUES ($1)", [.text(hostile)])
            #expect(try connection.execute("SELECT v FROM t")[0][0].string == hostile)
        }
    }

    @Test func serverErrorsCarrySQLStateMessageAndDetail() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE u (k int PRIMARY KEY)")
            try connection.execute("INSERT INTO u VALUES (1)")
            let error = try #require(throws: PostgresError.self) {
                try connection.execute("INSERT INTO u VALUES ($1)", [1])
            }
            #expect(error.sqlState == .uniqueViolation)
            #expect(error.code == .server)
            #expect(error.message.contains("duplicate key"))
            #expect(error.detail == "Key (k)=(1) already exists.")
            #expect(!error.description.contains("Key (k)"))
            #expect(String(reflecting: error).contains("Key (k)=(1) already exists."))

            let syntax = try #require(throws: PostgresError.self) { try connection.execute("SELEKT 1") }
            #expect(syntax.sqlState == .syntaxError)
            // The connection is still usable after errors.
            #expect(try connection.execute("SELECT 1")[0][0].int == 1)
        }
    }

    @Test func transactionsCommitAndRollBack() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE t (v int)")
            _ = try connection.withTransaction { try connection.execute("INSERT INTO t VALUES (1)") }
            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try connection.withTransaction {
                    try connection.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            // A nested failure rolls back only the inner work.
            try connection.withTransaction {
                try connection.execute("INSERT INTO t VALUES (3)")
                _ = try? connection.withTransaction {
                    try connection.execute("INSERT INTO t VALUES (4)")
                    throw Boom()
                }
            }
            #expect(try connection.execute("SELECT array_agg(v ORDER BY v)::text FROM t")[0][0].string == "{1,3}")
            #expect(connection.isIdle)
        }
    }

    /// Every byte value, and the characters COPY text format escapes, through COPY in and out.
    @Test func copyRoundTripsNastyValues() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE c (id int, t text, b bytea, n bigint, f bool, a text[])")
            let texts: [String?] = [
                "tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "quote ' \" ", "Дмитрий Пётр",
                "", nil, "trailing\\", "nul\u{0}byte",
            ]
            let everyByte = (0...255).map(UInt8.init)
            let copied = try connection.copyIn("COPY c FROM STDIN", flushThreshold: 64) { writer in
                for (index, text) in texts.enumerated() {
                    writer.append(index)
                    writer.append(text)
                    writer.append(bytea: index == 0 ? everyByte : Array((text ?? "").utf8))
                    writer.append(index == 1 ? Int.min : Int.max - index)
                    writer.append(index % 2 == 0 ? nil : index % 3 == 0)
                    writer.append(array: [text ?? "", "a,b", "{x}", "q\"q", "s\\s"])
                    try writer.endRow()
                }
            }
            #expect(copied == texts.count)
            let rows = try connection.execute("SELECT t, b, n, f, a[1], a[2], a[3], a[4], a[5] FROM c ORDER BY id")
            for (index, text) in texts.enumerated() {
                let expected = text.map { $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") }
                #expect(rows[index][0].string == expected, "row \(index)")
                #expect(rows[index][1].bytea == (index == 0 ? everyByte : Array((text ?? "").utf8)))
                #expect(rows[index][2].int == (index == 1 ? Int.min : Int.max - index))
                #expect(rows[index][3].bool == (index % 2 == 0 ? nil : index % 3 == 0))
                #expect(rows[index][4].string == (expected ?? ""))
                #expect(rows[index][5].string == "a,b")
                #expect(rows[index][6].string == "{x}")
                #expect(rows[index][7].string == "q\"q")
                #expect(rows[index][8].string == "s\\s")
            }

            var out: [[[UInt8]?]] = []
            let count = try connection.copyOut("COPY (SELECT t, b FROM c ORDER BY id) TO STDOUT") { row in
                out.append(CopyText.fields(of: row))
            }
            #expect(count == texts.count)
            for (index, text) in texts.enumerated() {
                let expected = text.map { Array($0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").utf8) }
                #expect(out[index][0] == expected)
            }
            #expect(out[0][1] == Array(("\\x" + everyByte.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()).utf8))
        }
    }

    /// Binary `COPY`: every type the writer sends, at its limits, and `NULL`s; dates and
    /// instants on both sides of PostgreSQL's epoch (2000-01-01).
    @Test func binaryCopyRoundTripsEveryTypeAtItsLimits() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute(
                "CREATE TABLE b (id int4, s int2, i int4, l int8, f bool, t text, y bytea, d date, ts timestamptz)"
            )
            let everyByte = (0...255).map(UInt8.init)
            // (days since 1970, date), (microseconds since 1970, instant)
            let dates: [(Int64, String)] = [(0, "1970-01-01"), (10_957, "2000-01-01"), (-719_162, "0001-01-01"), (20_089, "2025-01-01")]
            let instants: [(Int64, String)] = [
                (0, "1970-01-01 00:00:00+00"), (946_684_800_000_000, "2000-01-01 00:00:00+00"),
                (1_719_567_000_123_456, "2024-06-28 09:30:00.123456+00"), (-1, "1969-12-31 23:59:59.999999+00"),
            ]
            let texts: [String?] = ["Дмитрий Пётр", "", nil, "nul\u{0}byte"]
            var encoder = CopyBinaryEncoder()
            for index in 0..<4 {
                encoder.beginRow()
                encoder.append(int32: Int32(index))
                encoder.append(int16: [Int16.min, Int16.max, nil, -1][index])
                encoder.append(int32: [Int32.min, Int32.max, 0, nil][index])
                encoder.append(int64: [Int64.min, Int64.max, nil, 42][index])
                encoder.append([true, false, nil, true][index])
                encoder.append(texts[index])
                encoder.append(bytea: [everyByte, [], nil, [0]][index])
                encoder.append(dateDaysSince1970: dates[index].0)
                encoder.append(timestampMicrosecondsSince1970: instants[index].0)
                encoder.endRow()
            }
            encoder.finish()
            #expect(encoder.rowCount == 4)
            let copied = try connection.copyIn("COPY b FROM STDIN (FORMAT binary)") { try $0.write(encoded: encoder.bytes) }
            #expect(copied == 4)
            try connection.execute("SET TIME ZONE 'UTC'")
            let rows = try connection.execute("SELECT s, i, l, f, t, y, d::text, ts::text FROM b ORDER BY id")
            #expect(rows.map { $0[0].int } == [Int(Int16.min), Int(Int16.max), nil, -1])
            #expect(rows.map { $0[1].int } == [Int(Int32.min), Int(Int32.max), 0, nil])
            #expect(rows.map { $0[2].int } == [Int.min, Int.max, nil, 42])
            #expect(rows.map { $0[3].bool } == [true, false, nil, true])
            #expect(rows.map { $0[4].string } == ["Дмитрий Пётр", "", nil, "nul\u{FFFD}byte"])
            #expect(rows.map { $0[5].bytea } == [everyByte, [], nil, [0]])
            #expect(rows.map { $0[6].string } == dates.map(\.1))
            #expect(rows.map { $0[7].string } == instants.map(\.1))
        }
    }

    @Test func copyFailureRollsBackAndReportsTheServerError() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            try connection.execute("CREATE TABLE k (v int PRIMARY KEY)")
            let error = try #require(throws: PostgresError.self) {
                try connection.copyIn("COPY k FROM STDIN") { writer in
                    for value in [1, 2, 2, 3] {
                        writer.append(value)
                        try writer.endRow()
                    }
                }
            }
            #expect(error.sqlState == .uniqueViolation)
            #expect(try connection.execute("SELECT count(*) FROM k")[0][0].int == 0)

            struct Stop: Error {}
            #expect(throws: Stop.self) {
                try connection.copyIn("COPY k FROM STDIN") { writer in
                    writer.append(7)
                    try writer.endRow()
                    throw Stop()
                }
            }
            #expect(try connection.execute("SELECT count(*) FROM k")[0][0].int == 0)
            #expect(connection.isIdle)
        }
    }

    @Test func connectionFailuresNeverShowThePassword() throws {
        let secret = "s3cr3t-Pa55"
        let attempts = [
            "host=/nonexistent/socket/dir port=1 user=nobody password=\(secret) connect_timeout=2",
            "postgresql://nobody:\(secret)@/nonexistent?host=/nonexistent/socket/dir&connect_timeout=2",
            "host=/x password='\(secret)' garbage",
            "host=/x password=\(secret) unknown_option=1",
        ]
        for conninfo in attempts {
            let error = try #require(throws: PostgresError.self) { try PostgresConnection(conninfo: conninfo) }
            #expect(!String(describing: error).contains(secret), "\(error)")
            #expect(!String(reflecting: error).contains(secret), "\(error)")
        }
    }

    @Test func storeRunsBodiesOffTheCooperativePoolAndReusesConnections() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            try await database.withStore(maximumConnections: 2) { store in
                let pids = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            try await store.withConnection { connection in
                                try connection.execute("SELECT pg_backend_pid(), pg_sleep(0.05)")[0][0].int!
                            }
                        }
                    }
                    return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
                }
                #expect(pids.count <= 2)
            }
        }
    }
}
