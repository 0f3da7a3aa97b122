import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRRating
import SMDRTestSupport
import Testing

/// `smdr match` and `smdr assign` against a real PostgreSQL: the contract's example firm worked
/// by hand (`shared/contract/expected.md`), the review queue, re-matching and manual assignments.
@Suite(.timeLimit(.minutes(3)))
struct MatchRunTests {
    /// A 30-field line of site `demo` (fields as in the contract capture).
    static func line(
        _ start: String, seconds: Int, caller: String, direction: String, called: String, account: String = "",
        callID: Int, continued: Bool = false, party1: String, name1: String, party2: String, name2: String
    ) -> [UInt8] {
        let time = "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
        let isInternal = party2.hasPrefix("E") && party1.hasPrefix("E") ? 1 : 0
        return Array(
            "\(start),\(time),3,\(caller),\(direction),\(called),\(called),\(account),\(isInternal),\(callID),\(continued ? 1 : 0),\(party1),\(name1),\(party2),\(name2),0,0,,,,,,,,,,,,,".utf8
        )
    }

    /// The contract capture, byte for byte.
    static let contractCapture: [[UInt8]] = [
        line("2026/04/01 10:00:00", seconds: 240, caller: "301", direction: "O", called: "01632960100", callID: 1_000_001, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1"),
        line("2026/04/01 11:00:00", seconds: 480, caller: "01632960233", direction: "I", called: "302", callID: 1_000_002, party1: "E302", name1: "Eli Eve", party2: "T9002", name2: "Line 1.2"),
        line("2026/04/01 12:00:00", seconds: 120, caller: "302", direction: "O", called: "01632960555", account: "4100", callID: 1_000_003, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1"),
        line("2026/04/01 13:00:00", seconds: 300, caller: "01632960777", direction: "I", called: "301", callID: 1_000_004, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2"),
    ]

    /// Site `demo` (Europe/London, 44/0/00) and the contract's register, written as SQL so this
    /// test does not depend on the CSV importer.
    static func prepare(_ database: TestDatabase, lines: [[UInt8]]) async throws {
        try await database.withStore { store in
            let writer = try await makeWriter(store, site: "demo")
            try await store.withConnection { connection in
                try connection.executeScript(
                    """
                    UPDATE smdr.site SET country_code = '44', national_prefix = '0', international_prefix = '00' WHERE name = 'demo';
                    INSERT INTO smdr.client VALUES ('ACME', 'Acme Widgets Ltd'), ('BETA', 'Beta & Sons');
                    INSERT INTO smdr.matter VALUES ('ACME', 'ACME-001', 'Supply contract');
                    INSERT INTO smdr.account_code (code, client_id, matter_id, description, valid_from)
                    VALUES ('4100', 'ACME', 'ACME-001', 'Acme general', NULL), ('4200', 'BETA', NULL, 'Beta, all matters', '2026-01-01');
                    INSERT INTO smdr.client_number (number, match, code, note)
                    VALUES ('+441632960100', 'exact', '4100', 'Acme switchboard'), ('+4416329602', 'prefix', '4200', 'Beta DDI block');
                    INSERT INTO smdr.timekeeper (timekeeper_id, name, classification, site_id, extension, user_name)
                    SELECT t.id, t.name, t.class, s.id, t.ext, t.user_name FROM (VALUES ('TK1', 'Dana Dee', 'PT', '301', 'Dana Dee'), ('TK2', 'Eli Eve', 'AS', '302', 'Eli Eve')) AS t(id, name, class, ext, user_name), smdr.site AS s WHERE s.name = 'demo';
                    """
                )
            }
            _ = try await writer.write(ingestLines(lines), source: IngestSource(kind: .file, name: "match-test"))
        }
    }

    /// `call_id: client:rule` of every matched leg, in call order.
    static func matched(_ connection: PostgresConnection) throws -> [String] {
        try connection.execute(
            "SELECT call_id, coalesce(client_id, '-'), match_rule, coalesce(timekeeper_id, '-') FROM smdr.matched_legs ORDER BY call_start_local, call_id, leg_start_local, leg_ordinal"
        ).map { "\($0[0]): \($0[1]):\($0[2]) \($0[3])" }
    }

    static let now = Int(Date(timeIntervalSince1970: 1_800_000_000).timeIntervalSince1970)

    /// Runs `run` through a store of `database`, as `smdr match` does.
    static func match(_ database: TestDatabase, _ run: MatchRun = MatchRun(), nowEpoch: Int = now) async throws -> MatchRun.Summary {
        try await database.withStore(maximumConnections: 2) { try await run.run(in: $0, nowEpoch: nowEpoch) }
    }

    @Test func contractFirmMatchesAsWorkedByHand() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.prepare(database, lines: Self.contractCapture)
            let connection = try database.connect()
            let summary = try await Self.match(database, nowEpoch: Self.now)
            #expect(try Self.matched(connection) == [
                "1000001: ACME:number TK1", "1000002: BETA:number_prefix TK2", "1000003: ACME:code TK2", "1000004: -:unassigned TK1",
            ])
            #expect(summary.calls == 4 && summary.billableCalls == 4 && summary.unassignedCalls == 1)
            #expect(summary.legs == [.number: 1, .numberPrefix: 1, .code: 1, .unassigned: 1])
            #expect(summary.previousLegs.isEmpty)
            let e164 = try connection.execute("SELECT call_id, external_e164 FROM smdr.matched_legs ORDER BY call_id").map { "\($0[0])=\($0[1])" }
            #expect(e164 == ["1000001=+441632960100", "1000002=+441632960233", "1000003=+441632960555", "1000004=+441632960777"])
            let queue = try connection.execute("SELECT site, call_id, call_start_local::text, external_number, entered_code, reason FROM smdr.unassigned_calls")
            #expect(queue.map { $0.cells.map(\.description) } == [["demo", "1000004", "2026-04-01 13:00:00", "01632960777", "", "no match"]])

            // Assigned: the call bills BETA at once, and a re-match keeps it.
            let outcome = try AssignmentStore.assign(site: "demo", callID: 1_000_004, start: nil, code: "4200", note: "smoke", on: connection)
            #expect(outcome == AssignmentStore.Outcome(callStartLocal: "2026-04-01 13:00:00", legs: 1))
            #expect(try Self.matched(connection).last == "1000004: BETA:manual TK1")
            #expect(try connection.execute("SELECT count(*) FROM smdr.unassigned_calls")[0][0].int == 0)
            let again = try await Self.match(database, MatchRun(from: LocalDate(iso: "2026-04-01"), to: LocalDate(iso: "2026-04-30")), nowEpoch: Self.now)
            #expect(try Self.matched(connection).last == "1000004: BETA:manual TK1")
            #expect(again.legs == [.number: 1, .numberPrefix: 1, .code: 1, .manual: 1])
            #expect(again.previousLegs == again.legs)
            let note = try connection.execute("SELECT assigned_by = current_user, assignment_note FROM smdr.matched_legs WHERE call_id = 1000004")[0]
            #expect(note[0].bool == true && note[1].string == "smoke")
        }
    }

    @Test func unverifiedCodesWaitInTheQueueUntilRegistered() async throws {
        try await TestDatabase.withDatabase { database in
            let lines = [
                // An unregistered code entered on a number that would match BETA: the code wins, bills nobody.
                Self.line("2026/04/02 09:00:00", seconds: 60, caller: "01632960244", direction: "I", called: "301", account: "7777", callID: 1_000_010, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2"),
                // 4200 is valid from 2026-01-01 only: entered before that, it is unverified.
                Self.line("2025/12/31 09:00:00", seconds: 60, caller: "302", direction: "O", called: "01632960555", account: "4200", callID: 1_000_011, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1"),
            ]
            try await Self.prepare(database, lines: lines)
            // A database whose dates print day first: smdr's connections read and write ISO anyway.
            try database.connect().executeScript(
                "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET DateStyle = ''SQL, DMY''', current_database()); END $$"
            )
            let connection = try database.connect()
            #expect(try connection.execute("SELECT current_date::text ~ '^[0-9]{4}-'")[0][0].bool == true)
            _ = try await Self.match(database, nowEpoch: Self.now)
            let queue = try connection.execute("SELECT call_id, entered_code, reason FROM smdr.unassigned_calls ORDER BY call_id").map { $0.cells.map(\.description) }
            #expect(queue == [["1000010", "7777", "unverified"], ["1000011", "4200", "unverified"]])
            let flagged = try connection.execute("SELECT code, unverified, client_id IS NULL FROM smdr.matched_legs WHERE call_id = 1000010")[0]
            #expect(flagged.cells.map(\.description) == ["7777", "t", "t"])

            try connection.executeScript("INSERT INTO smdr.account_code (code, client_id) VALUES ('7777', 'ACME')")
            _ = try await Self.match(database, nowEpoch: Self.now)
            #expect(try Self.matched(connection) == ["1000011: -:unassigned TK2", "1000010: ACME:code TK1"])
        }
    }

    @Test func suggestionsRankTheNumbersHistoryThenTheTimekeepers() async throws {
        try await TestDatabase.withDatabase { database in
            // Three calls from one unregistered number; the first two are assigned by hand.
            var lines = (0..<3).map { index in
                Self.line("2026/04/0\(index + 1) 09:00:00", seconds: 60, caller: "02079460123", direction: "I", called: "301", callID: 1_000_020 + index, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2")
            }
            // Dana bills 4200 most on other calls.
            lines += (0..<3).map { index in
                Self.line("2026/04/0\(index + 1) 10:00:00", seconds: 60, caller: "01632960233", direction: "I", called: "301", callID: 1_000_030 + index, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2")
            }
            try await Self.prepare(database, lines: lines)
            let connection = try database.connect()
            _ = try await Self.match(database, nowEpoch: Self.now)
            for callID in [1_000_020, 1_000_021] {
                _ = try AssignmentStore.assign(site: "demo", callID: callID, start: nil, code: "4100", note: "", on: connection)
            }
            let suggestions = try connection.execute("SELECT call_id, suggestions::text FROM smdr.unassigned_calls").map { $0.cells.map(\.description) }
            #expect(suggestions == [["1000022", "{4100,4200}"]])
        }
    }

    @Test func anAmbiguousCallIDNeedsTheStartAndUnknownCodesChangeNothing() async throws {
        try await TestDatabase.withDatabase { database in
            // The PBX rebooted between the two days: Call IDs restarted.
            let lines = ["2026/04/01 09:00:00", "2026/04/03 09:00:00"].map {
                Self.line($0, seconds: 60, caller: "02079460999", direction: "I", called: "301", callID: 1_000_000, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2")
            }
            try await Self.prepare(database, lines: lines)
            let connection = try database.connect()
            // Only the first call matched so far: the second still makes the ID ambiguous.
            _ = try await Self.match(database, MatchRun(to: LocalDate(iso: "2026-04-01")), nowEpoch: Self.now)
            #expect(try Self.matched(connection) == ["1000000: -:unassigned TK1"])
            #expect(throws: AssignmentStore.Refusal.self) {
                try AssignmentStore.assign(site: "demo", callID: 1_000_000, start: nil, code: "4100", note: "", on: connection)
            }
            _ = try await Self.match(database, nowEpoch: Self.now)
            #expect(try Self.matched(connection) == ["1000000: -:unassigned TK1", "1000000: -:unassigned TK1"])

            #expect(throws: AssignmentStore.Refusal.self) {
                try AssignmentStore.assign(site: "demo", callID: 1_000_000, start: nil, code: "4100", note: "", on: connection)
            }
            do {
                _ = try AssignmentStore.assign(site: "demo", callID: 1_000_000, start: nil, code: "4100", note: "", on: connection)
            } catch let refusal as AssignmentStore.Refusal {
                #expect(refusal.message.contains("ambiguous") && refusal.message.contains("2026-04-01 09:00:00, 2026-04-03 09:00:00"))
            }
            for (code, start) in [("9999", "2026-04-03 09:00:00"), ("4100", "2026-04-02 09:00:00")] {
                #expect(throws: AssignmentStore.Refusal.self) {
                    try AssignmentStore.assign(site: "demo", callID: 1_000_000, start: LocalDateTime(iso: start), code: code, note: "", on: connection)
                }
            }
            #expect(try connection.execute("SELECT count(*) FROM smdr.manual_assignment")[0][0].int == 0)

            let outcome = try AssignmentStore.assign(site: "demo", callID: 1_000_000, start: LocalDateTime(iso: "2026-04-03 09:00:00"), code: "4100", note: "", on: connection)
            #expect(outcome.legs == 1)
            #expect(try Self.matched(connection) == ["1000000: -:unassigned TK1", "1000000: ACME:manual TK1"])
        }
    }

    @Test func callsWithoutTheirFinalLegWaitForIt() async throws {
        try await TestDatabase.withDatabase { database in
            // First leg of a transfer: Continuation 1, its account code comes on the final leg.
            let first = Self.line("2026/04/01 09:00:00", seconds: 60, caller: "302", direction: "O", called: "02079460999", callID: 1_000_040, continued: true, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1")
            try await Self.prepare(database, lines: [first])
            let connection = try database.connect()
            let started = Int(try connection.execute("SELECT extract(epoch FROM call_start)::bigint FROM smdr.call_leg")[0][0].int!)
            let waiting = try await Self.match(database, nowEpoch: started + 600)
            #expect(waiting.incompleteCalls == 1 && waiting.calls == 0)
            #expect(try Self.matched(connection).isEmpty)

            // The final leg brings the code, for both legs.
            let last = Self.line("2026/04/01 09:00:00", seconds: 30, caller: "301", direction: "O", called: "02079460999", account: "4100", callID: 1_000_040, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1")
            try await database.withStore { store in
                let writer = try await makeWriter(store, site: "demo")
                _ = try await writer.write(ingestLines([last]), source: IngestSource(kind: .file, name: "match-test-2"))
            }
            _ = try await Self.match(database, nowEpoch: started + 600)
            #expect(try Self.matched(connection) == ["1000040: ACME:code TK2", "1000040: ACME:code TK1"])
        }
    }

    @Test func analystsReadTheViewsAndBillingStaffAssign() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.prepare(database, lines: Self.contractCapture)
            let connection = try database.connect()
            _ = try await Self.match(database, nowEpoch: Self.now)
            try connection.executeScript("SET ROLE smdr_analyst")
            #expect(try connection.execute("SELECT count(*) FROM smdr.matched_legs")[0][0].int == 4)
            #expect(try connection.execute("SELECT count(*) FROM smdr.unassigned_calls")[0][0].int == 1)
            for table in ["smdr.leg_match", "smdr.manual_assignment", "smdr.account_code", "smdr.client_number", "smdr.call_leg"] {
                #expect(throws: PostgresError.self, "\(table)") { try connection.execute("SELECT FROM \(table) LIMIT 1") }
            }
            #expect(throws: PostgresError.self) { try connection.execute("SELECT smdr.assign_call('demo', 1000004, NULL, '4200', '')") }
            try connection.executeScript("RESET ROLE; SET ROLE smdr_billing")
            _ = try AssignmentStore.assign(site: "demo", callID: 1_000_004, start: nil, code: "4200", note: "", on: connection)
            #expect(try connection.execute("SELECT match_rule FROM smdr.matched_legs WHERE call_id = 1000004")[0][0].string == "manual")
        }
    }

    /// Re-matching some days of a month rewrites those days only; a whole month is swapped in.
    @Test func aPartOfAMonthIsRematchedAloneAndAWholeMonthIsReplaced() async throws {
        try await TestDatabase.withDatabase { database in
            let lines = ["2026/04/01 09:00:00", "2026/04/02 09:00:00"].enumerated().map { index, start in
                Self.line(start, seconds: 60, caller: "02079460999", direction: "I", called: "301", callID: 1_000_050 + index, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2")
            }
            try await Self.prepare(database, lines: lines)
            let connection = try database.connect()
            _ = try await Self.match(database, nowEpoch: Self.now)
            #expect(try Self.matched(connection) == ["1000050: -:unassigned TK1", "1000051: -:unassigned TK1"])
            try connection.executeScript("INSERT INTO smdr.client_number (number, match, code) VALUES ('+442079460999', 'exact', '4100')")

            let day = try await Self.match(database, MatchRun(from: LocalDate(iso: "2026-04-02"), to: LocalDate(iso: "2026-04-02")), nowEpoch: Self.now)
            #expect(day.previousLegs == [.unassigned: 1] && day.legs == [.number: 1])
            #expect(try Self.matched(connection) == ["1000050: -:unassigned TK1", "1000051: ACME:number TK1"])

            let month = try await Self.match(database, nowEpoch: Self.now)
            #expect(month.previousLegs == [.unassigned: 1, .number: 1] && month.legs == [.number: 2])
            #expect(try Self.matched(connection) == ["1000050: ACME:number TK1", "1000051: ACME:number TK1"])
            let partitions = try connection.execute(
                "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'smdr.leg_match'::regclass ORDER BY 1"
            ).map { $0[0].string ?? "" }
            #expect(partitions == ["smdr.leg_match_default", "smdr.leg_match_y2026m04"])
            // Swapped in twice, the month's indexes keep their names (no _next, no suffixes).
            _ = try await Self.match(database)
            let indexes = try connection.execute(
                "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'smdr.leg_match_y2026m04'::regclass ORDER BY 1"
            ).map { $0[0].string ?? "" }
            #expect(
                indexes == ["call_start_idx", "external_e164_idx", "pkey", "timekeeper_idx", "unassigned_idx", "unassigned_timekeeper_idx"].map {
                    "smdr.leg_match_y2026m04_" + $0
                }
            )
        }
    }

    /// A call split across a month's end belongs to the month of its first leg; months are read
    /// ahead while the one before is written, and a second run gives the same rows.
    @Test func aCallAcrossTheMonthsEndBelongsToItsFirstLegsMonth() async throws {
        try await TestDatabase.withDatabase { database in
            let lines = [
                Self.line("2026/04/30 23:58:00", seconds: 120, caller: "302", direction: "O", called: "01632960100", callID: 1_000_060, continued: true, party1: "E302", name1: "Eli Eve", party2: "T9001", name2: "Line 1.1"),
                Self.line("2026/05/02 10:00:00", seconds: 60, caller: "01632960233", direction: "I", called: "301", callID: 1_000_061, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2"),
                // Call Splitting for Diverts: the second leg of 1000060 carries the moment of the divert.
                Self.line("2026/05/01 00:00:30", seconds: 90, caller: "302", direction: "O", called: "01632960100", callID: 1_000_060, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1"),
                Self.line("2026/06/01 08:00:00", seconds: 30, caller: "01632960100", direction: "I", called: "301", callID: 1_000_062, party1: "E301", name1: "Dana Dee", party2: "T9002", name2: "Line 1.2"),
            ]
            try await Self.prepare(database, lines: lines)
            let connection = try database.connect()
            let summary = try await Self.match(database)
            #expect(summary.calls == 3 && summary.legs == [.number: 3, .numberPrefix: 1])
            func rows() throws -> [String] {
                try connection.execute(
                    "SELECT tableoid::regclass::text, call_id, call_start_local::text, leg_start_local::text, client_id, timekeeper_id FROM smdr.leg_match ORDER BY 2, 4"
                ).map { $0.cells.map(\.description).joined(separator: " ") }
            }
            let expected = [
                "smdr.leg_match_y2026m04 1000060 2026-04-30 23:58:00 2026-04-30 23:58:00 ACME TK2",
                "smdr.leg_match_y2026m04 1000060 2026-04-30 23:58:00 2026-05-01 00:00:30 ACME TK1",
                "smdr.leg_match_y2026m05 1000061 2026-05-02 10:00:00 2026-05-02 10:00:00 BETA TK1",
                "smdr.leg_match_y2026m06 1000062 2026-06-01 08:00:00 2026-06-01 08:00:00 ACME TK1",
            ]
            #expect(try rows() == expected)
            let again = try await Self.match(database)
            #expect(again.previousLegs == again.legs && again.legs == summary.legs)
            #expect(try rows() == expected)
        }
    }

    /// A line that does not start with its date (a byte order mark before it) is stored in month
    /// 0001-01-01; its leg is matched and shown like any other.
    @Test func aLegStoredWithoutItsMonthIsMatchedAndShown() async throws {
        try await TestDatabase.withDatabase { database in
            let line = [0xEF, 0xBB, 0xBF] + Self.line("2026/04/01 10:00:00", seconds: 240, caller: "301", direction: "O", called: "01632960100", callID: 1_000_070, party1: "E301", name1: "Dana Dee", party2: "T9001", name2: "Line 1.1")
            try await Self.prepare(database, lines: [line])
            let connection = try database.connect()
            #expect(try connection.execute("SELECT call_month::text FROM smdr.call_leg")[0][0].string == "0001-01-01")
            _ = try await Self.match(database)
            #expect(try Self.matched(connection) == ["1000070: ACME:number TK1"])
            #expect(try connection.execute("SELECT connected_seconds FROM smdr.matched_legs")[0][0].int == 240)
        }
    }

    /// A month re-matched to the same rows keeps its partition (the digest says so); a code
    /// assigned meanwhile makes the next match write it again.
    @Test func aMonthMatchedToTheSameRowsIsLeftAlone() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.prepare(database, lines: Self.contractCapture)
            let connection = try database.connect()
            func partition() throws -> Int? {
                try connection.execute("SELECT 'smdr.leg_match_y2026m04'::regclass::oid::bigint")[0][0].int
            }
            _ = try await Self.match(database)
            let first = try partition()
            let again = try await Self.match(database)
            #expect(try partition() == first)
            #expect(again.previousLegs == again.legs)
            _ = try AssignmentStore.assign(site: "demo", callID: 1_000_004, start: nil, code: "4200", note: "", on: connection)
            #expect(try connection.execute("SELECT count(*) FROM smdr.leg_match_digest")[0][0].int == 0)
            _ = try await Self.match(database)
            #expect(try partition() != first)
            #expect(try Self.matched(connection).last == "1000004: BETA:manual TK1")
        }
    }

    /// The binary: `smdr match` reports by rule, `smdr assign` assigns or refuses with exit 2.
    @Test func matchAndAssignCommands() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.prepare(database, lines: Self.contractCapture)
            func smdr(_ arguments: [String]) async throws -> (status: Int32, standardOutput: String, standardError: String) {
                try await TestProcess.run(TestProcess.smdrExecutable, arguments + ["--database", database.conninfo])
            }
            let matched = try await smdr(["match", "--from", "2026-04-01", "--to", "2026-04-30"])
            #expect(matched.status == 0, "\(matched.standardError)")
            #expect(matched.standardOutput == """
                matched 2026-04-01 to 2026-04-01: 4 calls, 4 with billable time, 4 billable legs
                  by rule: code 1, number 1, number_prefix 1, unassigned 1
                  before:  none
                  review queue: 1 call (smdr.unassigned_calls)

                """)
            let refused = try await smdr(["assign", "--site", "demo", "--call-id", "1000004", "9999"])
            #expect(refused.status == 2)
            #expect(refused.standardError.contains("code \"9999\" is not registered"))
            let badStart = try await smdr(["assign", "--site", "demo", "--call-id", "1000004", "--start", "2026-04-01", "4200"])
            #expect(badStart.status == 2)
            #expect(badStart.standardError.contains("--start '2026-04-01': expected the call's local start as 'YYYY-MM-DD HH:MM:SS'"))
            let assigned = try await smdr(["assign", "--site", "demo", "--call-id", "1000004", "4200", "--note", "confirmed"])
            #expect(assigned.status == 0, "\(assigned.standardError)")
            #expect(assigned.standardOutput == "demo call 1000004 (started 2026-04-01 13:00:00): code 4200 assigned; 1 billable leg now bills it\n")
            let again = try await smdr(["match"])
            #expect(again.standardOutput.contains("by rule: manual 1, code 1, number 1, number_prefix 1\n  unchanged from the last match\n"))
            let badPeriod = try await smdr(["match", "--from", "2026-05-01", "--to", "2026-04-01"])
            #expect(badPeriod.status == 2 && badPeriod.standardError.contains("--to 2026-04-01 is before --from 2026-05-01"))
        }
    }
}
