import Foundation
import SMDRCore
import SMDRPostgres
import SMDRTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2)))
struct SchemaTests {
    /// The files of `schema/` at the repository root, in name order, found relative to this file.
    static let schemaFiles: [String] = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // SchemaTests.swift, SMDRPostgresTests, Tests
        let directory = components.joined(separator: "/") + "/schema"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted().map { directory + "/" + $0 }
    }()

    @Test func embeddedSchemaMatchesSchemaFile() throws {
        #expect(!Self.schemaFiles.isEmpty)
        let file = try Self.schemaFiles.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        #expect(
            file == Schema.sql + "\n",
            "Sources/SMDRPostgres/Schema/Schema+SQL.swift is stale: run scripts/embed-schema.sh"
        )
    }

    /// Everything `migrate` could change, as text: objects with their oids, columns, constraints,
    /// indexes, comments, privileges, functions, triggers, roles and version rows.
    static let catalogSnapshot = """
        SELECT string_agg(item, E'\\n' ORDER BY item) FROM (
            SELECT format('namespace %s %s %s', n.oid, n.nspname, n.nspacl) FROM pg_namespace n WHERE n.nspname = 'smdr'
            UNION ALL
            SELECT format('class %s %s %s %s', c.oid, c.relname, c.relkind, c.relacl)
            FROM pg_class c WHERE c.relnamespace = 'smdr'::regnamespace
            UNION ALL
            SELECT format('column %s %s %s %s %s %s', a.attrelid::regclass, a.attnum, a.attname,
                          format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'smdr'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT format('constraint %s %s %s %s', oid, conrelid::regclass, conname, pg_get_constraintdef(oid))
            FROM pg_constraint WHERE connamespace = 'smdr'::regnamespace
            UNION ALL
            SELECT format('index %s', pg_get_indexdef(i.indexrelid))
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'smdr'::regnamespace
            UNION ALL
            SELECT format('comment %s %s %s %s', classoid::regclass, objoid, objsubid, description) FROM pg_description
            UNION ALL
            SELECT format('function %s %s %s %s', p.oid, p.oid::regprocedure, md5(pg_get_functiondef(p.oid)), p.proacl)
            FROM pg_proc p WHERE p.pronamespace = 'smdr'::regnamespace
            UNION ALL
            SELECT format('trigger %s %s', t.oid, pg_get_triggerdef(t.oid))
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'smdr'::regnamespace AND NOT t.tgisinternal
            UNION ALL
            SELECT format('role %s %s', oid, rolname) FROM pg_roles WHERE rolname LIKE 'smdr\\_%'
            UNION ALL
            SELECT format('version %s %s %s', version, description, applied_at) FROM smdr.schema_version
        ) AS catalog (item)
        """

    @Test func migratingTwiceChangesNothing() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            let connection = try database.connect()
            #expect(try Migrator.version(connection) == nil)
            let first = try Migrator.migrate(connection)
            #expect(first == Migrator.Outcome(previousVersion: nil, currentVersion: Schema.version))
            let before = try connection.execute(Self.catalogSnapshot)[0][0].string
            let second = try Migrator.migrate(connection)
            #expect(second == Migrator.Outcome(previousVersion: Schema.version, currentVersion: Schema.version))
            let after = try connection.execute(Self.catalogSnapshot)[0][0].string
            #expect(before != nil)
            #expect(before == after)
        }
    }

    @Test func concurrentMigrationsOfOneDatabaseQueueUp() async throws {
        try await TestDatabase.withDatabase(migrate: false) { database in
            try await database.withStore(maximumConnections: 3) { store in
                let outcomes = try await withThrowingTaskGroup(of: Migrator.Outcome.self) { group in
                    for _ in 0..<3 {
                        group.addTask { try await store.withConnection { try Migrator.migrate($0) } }
                    }
                    return try await group.reduce(into: [Migrator.Outcome]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0.previousVersion == nil }.count == 1)
                #expect(outcomes.allSatisfy { $0.currentVersion == Schema.version })
            }
        }
    }

    /// A database migrated by version 1 gets version 2's `call_leg` key and loses the indexes
    /// version 2 dropped; its rows stay.
    @Test func version1DatabaseIsUpgraded() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                _ = try await writer.write([smdrLine(start: "2024/02/10 10:00:00")], source: .file("x"))
            }
            // Put back what version 1 had.
            try connection.executeScript(
                """
                ALTER TABLE smdr.call_leg DROP CONSTRAINT call_leg_pkey;
                ALTER TABLE smdr.call_leg ADD PRIMARY KEY (site_id, call_month, raw_sha256);
                CREATE INDEX call_leg_call_idx ON smdr.call_leg (site_id, call_id, call_start_local);
                CREATE INDEX call_leg_account_code_idx ON smdr.call_leg (site_id, account_code) WHERE account_code <> '';
                CREATE INDEX call_leg_external_number_idx ON smdr.call_leg (site_id, external_number) WHERE external_number <> '';
                DO $$
                DECLARE partition regclass;
                BEGIN
                    FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'smdr.raw_record'::regclass LOOP
                        EXECUTE format('DROP TRIGGER raw_record_refuse_referenced_delete ON %s', partition);
                    END LOOP;
                END
                $$;
                DROP TRIGGER raw_record_refuse_referenced_delete ON smdr.raw_record;
                CREATE TRIGGER raw_record_refuse_referenced_delete BEFORE DELETE ON smdr.raw_record
                    FOR EACH ROW EXECUTE FUNCTION smdr.refuse_delete_of_referenced_raw_record();
                DELETE FROM smdr.schema_version WHERE version > 1;
                """
            )
            #expect(try Migrator.version(connection) == 1)
            #expect(try Migrator.migrate(connection) == Migrator.Outcome(previousVersion: 1, currentVersion: Schema.version))
            let key = try connection.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'smdr.call_leg'::regclass AND contype = 'p'"
            )
            #expect(key.map { $0[0].string } == ["PRIMARY KEY (site_id, call_month, call_id, call_start_local, leg_ordinal)"])
            let indexes = try connection.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'smdr.call_leg'::regclass ORDER BY 1"
            )
            #expect(indexes.map { $0[0].string } == ["smdr.call_leg_pkey", "smdr.call_leg_site_time_idx"])
            #expect(try connection.execute("SELECT count(*) FROM smdr.call_leg")[0][0].int == 1)
            // Version 1's row-level triggers are gone; the parent and every partition have the statement-level one.
            let triggers = try connection.execute(
                """
                SELECT c.relname, t.tgtype FROM pg_class c
                LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND t.tgname = 'raw_record_refuse_referenced_delete'
                WHERE c.oid = 'smdr.raw_record'::regclass
                   OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'smdr.raw_record'::regclass)
                ORDER BY 1
                """
            )
            #expect(
                triggers.map { "\($0[0].string!) \($0[1].int.map(String.init) ?? "none")" }
                    == ["raw_record 8", "raw_record_default 8", "raw_record_unparsed 8", "raw_record_y2024m02 8"]
            )  // 8: AFTER DELETE, once per statement
            let refused = try #require(throws: PostgresError.self) { try connection.execute("DELETE FROM smdr.raw_record") }
            #expect(refused.sqlState == .foreignKeyViolation)
        }
    }

    @Test func aNewerDatabaseIsRefused() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try connection.execute("INSERT INTO smdr.schema_version (version, description) VALUES (99, 'future')")
            #expect(throws: MigrationError(databaseVersion: 99, supportedVersion: Schema.version)) {
                try Migrator.migrate(connection)
            }
        }
    }

    @Test func everyTableColumnAndPartitionHasAComment() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            // Partitions made on demand are commented too.
            try connection.execute("SELECT smdr.ensure_month_partitions($1::date[])", ["{2024-02-01,2030-12-01}"])
            let uncommented = try connection.execute(
                """
                SELECT c.relname FROM pg_class c
                WHERE c.relnamespace = 'smdr'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND obj_description(c.oid, 'pg_class') IS NULL
                UNION ALL
                SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'smdr'::regnamespace AND c.relkind IN ('p', 'v', 'm')
                  AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
                UNION ALL
                SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'smdr'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
                  AND a.attnum > 0 AND NOT a.attisdropped AND col_description(c.oid, a.attnum) IS NULL
                """
            ).map { $0[0].string! }
            #expect(uncommented == [])
            let partitions = try connection.execute(
                "SELECT count(*) FROM pg_class WHERE relnamespace = 'smdr'::regnamespace AND relname LIKE '%\\_y2030m12'"
            )
            #expect(partitions[0][0].int == 2)
        }
    }

    /// Loaders of several sites create a new month's partitions at the same moment.
    @Test func concurrentPartitionCreationForTheSameMonthSucceedsEverywhere() async throws {
        try await TestDatabase.withDatabase { database in
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do {
                    try database.connect().execute("SELECT smdr.ensure_month_partitions($1::date[])", ["{2031-07-01}"])
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let tables = try database.connect().execute(
                "SELECT count(*) FROM pg_class WHERE relnamespace = 'smdr'::regnamespace AND relname LIKE '%\\_y2031m07'"
            )
            #expect(tables[0][0].int == 2)
        }
    }

    /// The hot tables have no foreign keys (a query per inserted row); deletes that would break
    /// a reference are refused by triggers with the foreign-key SQLSTATE instead.
    @Test func referencesAreGuardedOnDeleteNotCheckedOnEveryInsert() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try connection.execute("SELECT smdr.ensure_month_partitions($1::date[])", ["{2024-02-01,2024-03-01}"])
            let foreignKeys = try connection.execute(
                """
                SELECT count(*) FROM pg_constraint
                WHERE contype = 'f' AND connamespace = 'smdr'::regnamespace
                  AND (conrelid::regclass::text LIKE 'smdr.call_leg%' OR conrelid::regclass::text LIKE 'smdr.raw_record%')
                """
            )
            #expect(foreignKeys[0][0].int == 0)
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                _ = try await writer.write([smdrLine(start: "2024/02/10 10:00:00")], source: .file("x"))
            }
            // A raw record with a leg cannot be deleted from under it, through the partitioned
            // table or its partition, nor its site.
            let rawError = try #require(throws: PostgresError.self) { try connection.execute("DELETE FROM smdr.raw_record") }
            #expect(rawError.sqlState == .foreignKeyViolation)
            let partitionError = try #require(throws: PostgresError.self) {
                try connection.execute("DELETE FROM smdr.raw_record_y2024m02")
            }
            #expect(partitionError.sqlState == .foreignKeyViolation)
            let siteError = try #require(throws: PostgresError.self) { try connection.execute("DELETE FROM smdr.site") }
            #expect(siteError.sqlState == .foreignKeyViolation)
            // Once the leg is gone, the raw record can go, and then the site.
            try connection.execute("DELETE FROM smdr.call_leg")
            try connection.execute("DELETE FROM smdr.raw_record")
            try connection.execute("DELETE FROM smdr.journal_checkpoint")
            try connection.execute("DELETE FROM smdr.site")
            #expect(try connection.execute("SELECT count(*) FROM smdr.site")[0][0].int == 0)
        }
    }

    @Test func rolesGetTheirPrivileges() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            func allowed(_ role: String, _ table: String, _ privilege: String) throws -> Bool {
                try connection.execute("SELECT has_table_privilege($1, $2, $3)", [.text(role), .text(table), .text(privilege)])[0][0].bool!
            }
            #expect(try allowed("smdr_ingest", "smdr.raw_record", "INSERT"))
            #expect(try allowed("smdr_ingest", "smdr.call_leg", "INSERT"))
            #expect(try allowed("smdr_ingest", "smdr.journal_checkpoint", "UPDATE"))
            #expect(try !allowed("smdr_ingest", "smdr.raw_record", "UPDATE"))
            #expect(try !allowed("smdr_ingest", "smdr.raw_record", "DELETE"))
            #expect(try !allowed("smdr_ingest", "smdr.site", "INSERT"))
            #expect(try allowed("smdr_rater", "smdr.call_leg", "SELECT"))
            #expect(try !allowed("smdr_rater", "smdr.call_leg", "INSERT"))
            #expect(try allowed("smdr_billing", "smdr.call_leg", "SELECT"))
            #expect(try !allowed("smdr_analyst", "smdr.raw_record", "SELECT"))
            let execute = try connection.execute(
                """
                SELECT has_function_privilege('smdr_ingest', 'smdr.ensure_month_partitions(date[])', 'EXECUTE'),
                       has_function_privilege('smdr_analyst', 'smdr.ensure_month_partitions(date[])', 'EXECUTE')
                """
            )[0]
            #expect(execute[0].bool == true)
            #expect(execute[1].bool == false)
        }
    }

    @Test func aSiteNeedsAKnownTimeZone() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let error = try #require(throws: PostgresError.self) {
                try connection.execute("INSERT INTO smdr.site (name, time_zone) VALUES ('x', 'Mars/Olympus_Mons')")
            }
            #expect(error.sqlState == SQLState(rawValue: "22023"))
            #expect(throws: SiteError.self) {
                try Site.findOrCreate(named: "y", timeZoneIdentifier: "Mars/Olympus_Mons", on: connection)
            }
            let site = try Site.findOrCreate(named: "London office", timeZoneIdentifier: "Europe/London", on: connection)
            #expect(try Site.findOrCreate(named: "London office", timeZoneIdentifier: "Asia/Tokyo", on: connection) == site)
            // A site name names its journal directory: no path separators, no leading dot.
            for unsafe in ["../etc", "a/b", ".hidden", "back\\slash", "tab\there"] {
                let error = try #require(throws: PostgresError.self) {
                    try Site.findOrCreate(named: unsafe, timeZoneIdentifier: "UTC", on: connection)
                }
                #expect(error.sqlState == .checkViolation, "\(unsafe)")
            }
        }
    }
}
