import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import Testing

/// The analyst views of the rating (`schema/040_views.sql`) on a real PostgreSQL: the contract
/// firm matched by `MatchRun`, then two rating runs written by SQL (run 1 superseded, run 2
/// current), every figure worked out by hand below.
///
/// Calls (site demo, Europe/London): 1000001 TK1 ACME 240 s, 1000002 TK2 BETA 480 s, 1000003 TK2
/// ACME 120 s, 1000004 TK1 unassigned 300 s, 1000005 TK2 BETA 180 s (all 2026-04-01); 1000006
/// TK1 ACME 600 s and 1000007 TK2 ACME 90 s (2026-05-04). Run 2's charges, in id order:
/// 2 fee 1000001 PARTNER 0.1 h 40.00 GBP; 3 expense 1000001 1.20 GBP; 4 fee 1000003 STD 0.1 h
/// 25.00; 5 fee client_day BETA TK2 over 1000002 + 1000005, 660 s → 720 s, 0.2 h × 250 = 50.00;
/// 6 fee 1000006 600 s → 720 s, 0.2 h × 400 = 80.00 GBP; 7 expense 1000006 3.50 USD. 1000007 is
/// unrated. Run 1 (charge 1: 1000001 at 99.00, and 1000002 unrated) is superseded.
@Suite(.timeLimit(.minutes(3)))
struct AnalystViewsTests {
    static let extraLines: [[UInt8]] = [
        MatchRunTests.line("2026/04/01 14:00:00", seconds: 180, caller: "302", direction: "O", called: "01632960255", callID: 1_000_005, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1"),
        MatchRunTests.line("2026/05/04 09:00:00", seconds: 600, caller: "301", direction: "O", called: "01632960100", callID: 1_000_006, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1"),
        MatchRunTests.line("2026/05/04 10:00:00", seconds: 90, caller: "302", direction: "O", called: "01632960555", account: "4100", callID: 1_000_007, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1"),
    ]

    /// The data set above; returns a connection to it.
    static func prepare(_ database: TestDatabase) async throws -> PostgresConnection {
        try await MatchRunTests.prepare(database, lines: MatchRunTests.contractCapture + Self.extraLines)
        _ = try await MatchRunTests.match(database)
        let connection = try database.connect()
        let site = try connection.execute("SELECT id FROM smdr.site WHERE name = 'demo'")[0][0].int!
        func charge(
            run: Int, kind: String, date: String, client: String, matter: String?, code: String, timekeeper: String, name: String,
            scope: String = "leg", raw: Int, billed: Int, hours: String, rate: String?, amount: String, currency: String = "GBP",
            plan: String, rule: String, calls: [(Int, String)]
        ) -> String {
            let matterSQL = matter.map { "'\($0)'" } ?? "NULL"
            let ids = calls.map { String($0.0) }.joined(separator: ",")
            let starts = calls.map { "\"\($0.1)\"" }.joined(separator: ",")
            return """
                (\(run), '\(kind)', \(site), '\(date)', '\(client)', \(matterSQL), '\(code)', '\(timekeeper)', '\(name)', '\(scope)',
                 \(calls.count), \(calls.count), \(raw), \(billed), \(hours), \(rate ?? "NULL"), \(amount), '\(currency)', '\(plan)', '\(rule)',
                 'trace', false, '\(calls[0].1)', '{\(ids)}', '{\(starts)}', '{\(starts)}', '{\(calls.map { _ in "1" }.joined(separator: ","))}')
                """
        }
        let charges = [
            charge(run: 1, kind: "fee", date: "2026-04-01", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK1", name: "Dana Dee", raw: 240, billed: 360, hours: "0.1", rate: "990.00", amount: "99.00", plan: "OLD", rule: "number", calls: [(1_000_001, "2026-04-01 10:00:00")]),
            charge(run: 2, kind: "fee", date: "2026-04-01", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK1", name: "Dana Dee", raw: 240, billed: 360, hours: "0.1", rate: "400.00", amount: "40.00", plan: "PARTNER", rule: "number", calls: [(1_000_001, "2026-04-01 10:00:00")]),
            charge(run: 2, kind: "expense", date: "2026-04-01", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK1", name: "Dana Dee", raw: 0, billed: 0, hours: "0", rate: nil, amount: "1.20", plan: "PARTNER", rule: "number", calls: [(1_000_001, "2026-04-01 10:00:00")]),
            charge(run: 2, kind: "fee", date: "2026-04-01", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK2", name: "Eli Eve", raw: 120, billed: 360, hours: "0.1", rate: "250.00", amount: "25.00", plan: "STD", rule: "code", calls: [(1_000_003, "2026-04-01 12:00:00")]),
            charge(run: 2, kind: "fee", date: "2026-04-01", client: "BETA", matter: nil, code: "4200", timekeeper: "TK2", name: "Eli Eve", scope: "client_day", raw: 660, billed: 720, hours: "0.2", rate: "250.00", amount: "50.00", plan: "STD", rule: "number_prefix", calls: [(1_000_002, "2026-04-01 11:00:00"), (1_000_005, "2026-04-01 14:00:00")]),
            charge(run: 2, kind: "fee", date: "2026-05-04", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK1", name: "Dana Dee", raw: 600, billed: 720, hours: "0.2", rate: "400.00", amount: "80.00", plan: "PARTNER", rule: "number", calls: [(1_000_006, "2026-05-04 09:00:00")]),
            charge(run: 2, kind: "expense", date: "2026-05-04", client: "ACME", matter: "ACME-001", code: "4100", timekeeper: "TK1", name: "Dana Dee", raw: 0, billed: 0, hours: "0", rate: nil, amount: "3.50", currency: "USD", plan: "PARTNER", rule: "number", calls: [(1_000_006, "2026-05-04 09:00:00")]),
        ]
        try connection.executeScript(
            """
            INSERT INTO smdr.rating_run (kind, period_from, period_to, finished_at)
            VALUES ('rate', '2026-04-01', '2026-04-01', now()), ('rerate', '2026-04-01', '2026-05-31', now());
            INSERT INTO smdr.charge (rating_run, kind, site_id, charge_date, client_id, matter_id, code, timekeeper_id, timekeeper_name, scope,
                calls, legs, raw_seconds, billed_seconds, billed_hours, hourly_rate, amount, currency, plan_id, rule,
                trace, blocked, first_start_local, call_ids, call_starts, leg_starts, leg_ordinals)
            VALUES \(charges.joined(separator: ",\n"));
            INSERT INTO smdr.unrated_leg (rating_run, site_id, charge_date, call_id, call_start_local, leg_start_local, leg_ordinal, client_id, matter_id, code, timekeeper_id, talk_seconds, reason)
            VALUES (1, \(site), '2026-04-01', 1000002, '2026-04-01 11:00:00', '2026-04-01 11:00:00', 1, 'BETA', NULL, '4200', 'TK2', 480, 'no plan'),
                   (2, \(site), '2026-05-04', 1000007, '2026-05-04 10:00:00', '2026-05-04 10:00:00', 1, 'ACME', 'ACME-001', '4100', 'TK2', 90, 'no plan');
            INSERT INTO smdr.rating_day VALUES (\(site), '2026-04-01', 1, '\\x01');
            UPDATE smdr.rating_day SET rating_run = 2, digest = '\\x02';
            INSERT INTO smdr.rating_day VALUES (\(site), '2026-05-04', 2, '\\x03');
            """
        )
        return connection
    }

    static func rows(_ connection: PostgresConnection, _ sql: String) throws -> [[String]] {
        try connection.execute(sql).map { $0.cells.map(\.description) }
    }

    @Test func chargesShowTheCurrentRunWithTheContractColumnsFirst() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            let columns = try Self.rows(
                connection,
                "SELECT attname FROM pg_attribute WHERE attrelid = 'smdr.charges'::regclass AND attnum BETWEEN 1 AND 22 ORDER BY attnum"
            ).map { $0[0] }
            #expect(columns == [
                "charge_id", "rating_run", "kind", "site", "client_id", "matter_id", "code", "timekeeper_id", "timekeeper_name", "charge_date",
                "scope", "calls", "legs", "raw_seconds", "billed_seconds", "billed_hours", "hourly_rate", "amount", "currency", "plan_id", "rule", "trace",
            ])
            #expect(try Self.rows(connection, "SELECT charge_id, rating_run, site, kind, amount, currency, closed FROM smdr.charges ORDER BY charge_id") == [
                ["2", "2", "demo", "fee", "40.00", "GBP", "f"], ["3", "2", "demo", "expense", "1.20", "GBP", "f"],
                ["4", "2", "demo", "fee", "25.00", "GBP", "f"], ["5", "2", "demo", "fee", "50.00", "GBP", "f"],
                ["6", "2", "demo", "fee", "80.00", "GBP", "f"], ["7", "2", "demo", "expense", "3.50", "USD", "f"],
            ])
            try connection.executeScript("INSERT INTO smdr.rating_period (month) VALUES ('2026-04-01')")
            #expect(try Self.rows(connection, "SELECT month::text, closed, count(*) FROM smdr.charges GROUP BY 1, 2 ORDER BY 1") == [
                ["2026-04-01", "t", "4"], ["2026-05-01", "f", "2"],
            ])
            #expect(try Self.rows(connection, "SELECT site, call_id, client_name, timekeeper_name, talk_seconds, rating_run FROM smdr.unrated_legs") == [
                ["demo", "1000007", "Acme Widgets Ltd", "Eli Eve", "90", "2"],
            ])
        }
    }

    @Test func usageReportHasOneRowPerCallAndSplitsNoSharedCharge() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            let report = try Self.rows(
                connection,
                """
                SELECT call_id, time::text, direction, users, coalesce(timekeeper_ids::text, '-'), external_e164, external_name, minutes, talk_seconds,
                       coalesce(client_id, '-'), match_rule, coalesce(billed_hours::text, '-'), coalesce(amount::text, '-'),
                       coalesce(currency, '-'), coalesce(expenses::text, '-'), coalesce(expense_currency, '-'), charge_ids::text, shared_charge_ids::text
                FROM smdr.usage_report WHERE date = '2026-04-01' ORDER BY call_start_local
                """
            )
            #expect(report == [
                ["1000001", "10:00:00", "O", "Dana Dee (301)", "{TK1}", "+441632960100", "Line 1.1", "4.0", "240", "ACME", "number", "0.1", "40.00", "GBP", "1.20", "GBP", "{2,3}", "{}"],
                ["1000002", "11:00:00", "I", "Eli Eve (302)", "{TK2}", "+441632960233", "Line 1.2", "8.0", "480", "BETA", "number_prefix", "-", "-", "-", "-", "-", "{5}", "{5}"],
                ["1000003", "12:00:00", "O", "Eli Eve (302)", "{TK2}", "+441632960555", "Line 1.1", "2.0", "120", "ACME", "code", "0.1", "25.00", "GBP", "-", "-", "{4}", "{}"],
                ["1000004", "13:00:00", "I", "Dana Dee (301)", "{TK1}", "+441632960777", "Line 1.2", "5.0", "300", "-", "unassigned", "-", "-", "-", "-", "-", "{}", "{}"],
                ["1000005", "14:00:00", "O", "Eli Eve (302)", "{TK2}", "+441632960255", "Line 1.1", "3.0", "180", "BETA", "number_prefix", "-", "-", "-", "-", "-", "{5}", "{5}"],
            ])
            #expect(try Self.rows(connection, "SELECT count(*), sum(amount) FROM smdr.usage_report") == [["7", "145.00"]])
        }
    }

    @Test func billingCodeSummaryCountsEachCallOnceAndKeepsCurrenciesApart() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            try connection.executeScript("INSERT INTO smdr.rating_period (month) VALUES ('2026-04-01')")
            #expect(try Self.rows(
                connection,
                "SELECT month::text, code, currency, client_id, coalesce(matter_id, '-'), calls, minutes, billed_hours, amount, expenses, charges, closed FROM smdr.billing_code_summary ORDER BY 1, 2, 3"
            ) == [
                ["2026-04-01", "4100", "GBP", "ACME", "ACME-001", "2", "6.0", "0.2", "65.00", "1.20", "3", "t"],
                ["2026-04-01", "4200", "GBP", "BETA", "-", "2", "11.0", "0.2", "50.00", "0", "1", "t"],
                ["2026-05-01", "4100", "GBP", "ACME", "ACME-001", "1", "10.0", "0.2", "80.00", "0", "1", "f"],
                ["2026-05-01", "4100", "USD", "ACME", "ACME-001", "1", "0", "0", "0", "3.50", "1", "f"],
            ])
        }
    }

    @Test func clientStatementReadsLikeAStatement() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            let statement = try Self.rows(
                connection,
                """
                SELECT client_id, month::text, coalesce(matter_id, '-'), line_type, currency, coalesce(charge_id::text, '-'), charges, billed_hours, amount, expenses
                FROM smdr.client_statement
                ORDER BY client_id, month, matter_id NULLS LAST, line_type, currency, charge_date, first_start_local, charge_id
                """
            )
            #expect(statement == [
                ["ACME", "2026-04-01", "ACME-001", "item", "GBP", "2", "1", "0.1", "40.00", "0"],
                ["ACME", "2026-04-01", "ACME-001", "item", "GBP", "3", "1", "0", "1.20", "1.20"],
                ["ACME", "2026-04-01", "ACME-001", "item", "GBP", "4", "1", "0.1", "25.00", "0"],
                ["ACME", "2026-04-01", "ACME-001", "matter_total", "GBP", "-", "3", "0.2", "66.20", "1.20"],
                ["ACME", "2026-04-01", "-", "client_total", "GBP", "-", "3", "0.2", "66.20", "1.20"],
                ["ACME", "2026-05-01", "ACME-001", "item", "GBP", "6", "1", "0.2", "80.00", "0"],
                ["ACME", "2026-05-01", "ACME-001", "item", "USD", "7", "1", "0", "3.50", "3.50"],
                ["ACME", "2026-05-01", "ACME-001", "matter_total", "GBP", "-", "1", "0.2", "80.00", "0"],
                ["ACME", "2026-05-01", "ACME-001", "matter_total", "USD", "-", "1", "0", "3.50", "3.50"],
                ["ACME", "2026-05-01", "-", "client_total", "GBP", "-", "1", "0.2", "80.00", "0"],
                ["ACME", "2026-05-01", "-", "client_total", "USD", "-", "1", "0", "3.50", "3.50"],
                // BETA's code has no matter: its items and total come before the client's total.
                ["BETA", "2026-04-01", "-", "item", "GBP", "5", "1", "0.2", "50.00", "0"],
                ["BETA", "2026-04-01", "-", "matter_total", "GBP", "-", "1", "0.2", "50.00", "0"],
                ["BETA", "2026-04-01", "-", "client_total", "GBP", "-", "1", "0.2", "50.00", "0"],
            ])
        }
    }

    @Test func clientCreditCountsOpenMonthsInTheLimitsCurrency() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            try connection.executeScript("UPDATE smdr.client SET credit_limit = 100.00, credit_currency = 'GBP' WHERE client_id = 'ACME'")
            let query = """
                SELECT client_id, coalesce(credit_limit::text, '-'), billed_open, coalesce(remaining::text, '-'), coalesce(currency, '-'),
                       billed_open_other::text, coalesce(over_limit::text, '-'), open_charges
                FROM smdr.client_credit ORDER BY client_id
                """
            // April open: 40.00 + 1.20 + 25.00 + 80.00 in GBP, the USD expense apart.
            #expect(try Self.rows(connection, query) == [
                ["ACME", "100.00", "146.20", "-46.20", "GBP", #"{"USD": 3.50}"#, "true", "4"],
                ["BETA", "-", "50.00", "-", "GBP", "{}", "-", "1"],
            ])
            try connection.executeScript("INSERT INTO smdr.rating_period (month) VALUES ('2026-04-01')")
            #expect(try Self.rows(connection, query) == [
                ["ACME", "100.00", "80.00", "20.00", "GBP", #"{"USD": 3.50}"#, "false", "1"],
                ["BETA", "-", "0", "-", "-", "{}", "-", "0"],
            ])
        }
    }

    @Test func ingestHealthCountsTodaysLinesRejectsAndCallIDGaps() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            let today = try connection.execute("SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY/MM/DD')")[0][0].string!
            // Run 1000100, 1000101, 1000103 (1000102 missing); reboot; 1000000, 1000002 (1000001 missing).
            let ids = [(1_000_100, 1), (1_000_101, 2), (1_000_103, 4), (1_000_000, 10), (1_000_002, 12)]
            let lines = ids.map { id, second in
                MatchRunTests.line("\(today) 00:00:\(second < 10 ? "0" : "")\(second)", seconds: 30, caller: "301", direction: "O", called: "01632960100", callID: id, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1")
            } + [Array("not an SMDR line".utf8)]
            try await database.withStore { store in
                let writer = try await makeWriter(store, site: "demo")
                _ = try await writer.write(ingestLines(lines, receivedAt: Date()), source: IngestSource(kind: .file, name: "today"))
            }
            let health = try Self.rows(
                connection,
                """
                SELECT site, last_received_at > now() - interval '10 minutes', last_call_start_local = (\(sqlLiteral(today))::date + time '00:00:12'),
                       lines_today, rejects_today, call_id_gaps_today, call_ids_today, call_id_restarts_today, review_queue, unrated_legs
                FROM smdr.ingest_health
                """
            )
            #expect(health == [["demo", "t", "t", "6", "1", "2", "5", "1", "1", "1"]])
        }
    }

    @Test func analystReadsTheViewsAndNoTable() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            let views = ["charges", "unrated_legs", "usage_report", "billing_code_summary", "client_statement", "client_credit", "ingest_health", "matched_legs", "unassigned_calls"]
            for role in ["smdr_analyst", "smdr_billing"] {
                let readable = try Self.rows(
                    connection,
                    "SELECT bool_and(has_table_privilege('\(role)', 'smdr.' || v, 'SELECT')) FROM unnest('{\(views.joined(separator: ","))}'::text[]) AS v"
                )
                #expect(readable == [["t"]], "\(role)")
            }
            let tables = try Self.rows(
                connection,
                """
                SELECT relname FROM pg_class WHERE relnamespace = 'smdr'::regnamespace AND relkind IN ('r', 'p')
                  AND has_table_privilege('smdr_analyst', oid, 'SELECT, INSERT, UPDATE, DELETE')
                """
            )
            #expect(tables == [])
            try connection.executeScript("SET ROLE smdr_analyst")
            #expect(try Self.rows(connection, "SELECT count(*) FROM smdr.charges") == [["6"]])
            #expect(try Self.rows(connection, "SELECT count(*) FROM smdr.usage_report") == [["7"]])
            #expect(try Self.rows(connection, "SELECT count(*) FROM smdr.ingest_health") == [["1"]])
            for table in ["smdr.charge", "smdr.call_leg", "smdr.leg_match", "smdr.rating_day", "smdr.client"] {
                let error = #expect(throws: PostgresError.self) { try connection.execute("SELECT FROM \(table)") }
                #expect(error?.sqlState == SQLState(rawValue: "42501"), "\(table)")
            }
        }
    }

    @Test func everyAnalystViewAndColumnIsDocumented() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let undocumented = try Self.rows(
                connection,
                """
                SELECT c.relname FROM pg_class AS c
                WHERE c.relnamespace = 'smdr'::regnamespace AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL
                UNION ALL
                SELECT c.relname || '.' || a.attname FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'smdr'::regnamespace AND c.relkind = 'v' AND a.attnum > 0
                  AND coalesce(col_description(c.oid, a.attnum), '') = ''
                UNION ALL
                SELECT 'type statement_line' WHERE obj_description('smdr.statement_line'::regtype, 'pg_type') IS NULL
                """
            )
            #expect(undocumented == [])
            let views = try Self.rows(connection, "SELECT count(*) FROM pg_views WHERE schemaname = 'smdr'")
            #expect(views == [["9"]])
        }
    }

    /// The README's example queries (the `sql` blocks of its "Views" section), as written.
    static let readmeQueries: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        guard let readme = try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8),
            let section = readme.components(separatedBy: "\n### Views\n").dropFirst().first?.components(separatedBy: "\n## ").first
        else { return ["README.md has no Views section"] }
        return section.components(separatedBy: "```sql\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }()

    @Test func theReadmeHasTheExampleQueries() {
        #expect(Self.readmeQueries.count == 7)
    }

    @Test(arguments: Self.readmeQueries)
    func readmeExampleRunsAsAnalyst(_ query: String) async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            try connection.executeScript("SET ROLE smdr_analyst")
            _ = try connection.execute(query)
        }
    }

    @Test func readmeStatementExampleListsTheClientsLines() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try await Self.prepare(database)
            try connection.executeScript("SET ROLE smdr_analyst")
            let lines = try Self.rows(connection, Self.readmeQueries[4]).map { "\($0[0]) \($0[7])" }
            #expect(lines == ["item 40.00", "item 1.20", "item 25.00", "matter_total 66.20", "client_total 66.20"])
        }
    }

    private func sqlLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
