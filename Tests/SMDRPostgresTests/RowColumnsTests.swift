import SMDRPostgres
import SMDRTestSupport
import Testing

/// Each row type's one column declaration against the migrated schema: the names and types the
/// store encodes are the table's, so `COPY` can not put a value in the wrong column.
@Suite(.timeLimit(.minutes(2)))
struct RowColumnsTests {
    /// `(name, format_type)` of the table's columns in table order, and those with a default
    /// or generated value.
    private static func columns(of table: String, _ connection: PostgresConnection) throws -> (all: [String: String], defaulted: Set<String>) {
        let rows = try connection.execute(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atthasdef OR a.attgenerated <> ''
            FROM pg_attribute AS a
            WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            [.text(table)]
        )
        var all: [String: String] = [:]
        var defaulted: Set<String> = []
        for row in rows {
            all[row[0].string!] = row[1].string!
            if row[2].bool == true { defaulted.insert(row[0].string!) }
        }
        return (all, defaulted)
    }

    @Test func rawRecordColumnsAreTheTables() async throws {
        try await TestDatabase.withDatabase { database in
            let table = try Self.columns(of: "smdr.raw_record", try database.connect())
            let declared = RawRecordRow.columns.map { ($0.name, $0.type) }
            #expect(Set(declared.map(\.0)).count == declared.count, "a column is declared twice")
            for (name, type) in declared {
                #expect(table.all[name] == type, "raw_record.\(name)")
            }
            // Every column the store leaves out has a default.
            let left = Set(table.all.keys).subtracting(declared.map(\.0))
            #expect(left == ["loaded_at"])
            #expect(left.isSubset(of: table.defaulted))
        }
    }

    @Test func callLegColumnsAreTheTables() async throws {
        try await TestDatabase.withDatabase { database in
            let table = try Self.columns(of: "smdr.call_leg", try database.connect())
            let declared = CallLegRow.columns.map { ($0.name, $0.type) } + [CallLegRow.ordinalColumn]
            #expect(Set(declared.map(\.0)).count == declared.count, "a column is declared twice")
            for (name, type) in declared {
                #expect(table.all[name] == type, "call_leg.\(name)")
            }
            // The only column the store leaves out is the generated one.
            let left = Set(table.all.keys).subtracting(declared.map(\.0))
            #expect(left == ["external_number"])
            #expect(left.isSubset(of: table.defaulted))
        }
    }

    @Test func legMatchColumnsAreTheTables() async throws {
        try await TestDatabase.withDatabase { database in
            let table = try Self.columns(of: "smdr.leg_match", try database.connect())
            let declared = LegMatchRow.columns.map { ($0.name, $0.type) }
            #expect(Set(declared.map(\.0)).count == declared.count, "a column is declared twice")
            for (name, type) in declared {
                #expect(table.all[name] == type, "leg_match.\(name)")
            }
            let left = Set(table.all.keys).subtracting(declared.map(\.0))
            #expect(left == ["matched_at"])
            #expect(left.isSubset(of: table.defaulted))
        }
    }

    /// What the matcher reads are call_leg columns of the declared types (call_start is read
    /// as seconds since 1970, from the timestamptz column).
    @Test func matchLegColumnsAreCallLegColumns() async throws {
        try await TestDatabase.withDatabase { database in
            let table = try Self.columns(of: "smdr.call_leg", try database.connect())
            for (name, type) in MatchLegRow.columns {
                #expect(table.all[name] == type, "call_leg.\(name)")
            }
        }
    }

    /// The rater's rows: every column but the run (written in front) and the identity.
    @Test(arguments: [
        ("smdr.charge", ChargeRow.columns, Set(["charge_id", "rating_run"])),
        ("smdr.unrated_leg", UnratedLegRow.columns, Set(["rating_run"])),
    ])
    func ratingRowColumnsAreTheTables(table name: String, declared: [(name: String, type: String)], left expected: Set<String>) async throws {
        try await TestDatabase.withDatabase { database in
            let table = try Self.columns(of: name, try database.connect())
            #expect(Set(declared.map(\.name)).count == declared.count, "a column is declared twice")
            for (column, type) in declared {
                #expect(table.all[column] == type, "\(name).\(column)")
            }
            #expect(Set(table.all.keys).subtracting(declared.map(\.name)) == expected)
        }
    }
}
