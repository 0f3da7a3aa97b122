import Foundation
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import Testing

/// The firm of the queue, calls and dashboard tests, worked out by hand. October 2026 at site
/// `demo`; plans PA (ALPHA, 100.00 GBP/h) and PB (BRAVO, 200.00 GBP/h), both 0.1 h rounded up
/// per leg; CHARLIE (pattern 59*) has no plan.
///
/// Billed (rated at set-up): ALPHA 10.00 (1st) + 20.00 (2nd) + 10.00 (4th, matter M2) + 10.00
/// (5th, a user with a hostile name who is no timekeeper) = 50.00; BRAVO 20.00 (3rd).
/// Waiting in the queue: ``numberCall`` (10th, inbound from the number billed to 5201 twice and
/// 5202 once, hostile caller name), ``eliCall`` (11th, Eli bills 5202 and 5203), ``unverifiedCall``
/// (12th, code 7777 entered, hostile number), and ``closedMonthCall`` (15 September).
enum QueueFixture {
    typealias Line = CaptureLine

    static let hostile = "<script>alert(1)</script>"
    static let hostileNumber = "\"javascript:alert(1)"
    static let intruder = CaptureLine.User(extensionNumber: "309", name: hostile)

    struct Call {
        var id: Int
        var start: String
        var checkbox: String { "demo|\(self.id)|\(self.start)" }
    }

    static let numberCall = Call(id: 1_010_010, start: "2026-10-10 10:00:00")
    static let eliCall = Call(id: 1_010_011, start: "2026-10-11 11:00:00")
    static let unverifiedCall = Call(id: 1_010_012, start: "2026-10-12 12:00:00")
    static let closedMonthCall = Call(id: 1_009_001, start: "2026-09-15 09:00:00")

    /// The firm, ingested and rated.
    static func with(_ body: (RatingFirm) async throws -> Void) async throws {
        try await RatingFirm.with { firm in
            try await firm.importRegister("codes", [
                RatingFirm.codesHeader, "5201,ALPHA,Alpha Ltd,M1,Merger,,true,,", "5202,BRAVO,Bravo Ltd,,,,true,,",
                "5203,ALPHA,Alpha Ltd,M2,Lease,,true,,", "59*,CHARLIE,Charlie & Co,,,,true,,",
            ])
            try await firm.importRegister("plans", [
                RatingFirm.plansHeader, "PA,100.00,GBP,360,0,0,up,leg,false,", "PB,200.00,GBP,360,0,0,up,leg,false,",
            ])
            try await firm.importRegister("rates", [RatingFirm.ratesHeader, "PA,ALPHA,,,,,", "PB,BRAVO,,,,,"])
            try await firm.ingest([
                Line.outbound("2026/10/01 09:00:00", talk: 300, code: "5201", callID: 1_010_001, number: "01632960100"),
                Line.outbound("2026/10/02 09:00:00", talk: 700, code: "5201", callID: 1_010_002, number: "01632960100"),
                Line.outbound("2026/10/03 09:00:00", talk: 300, user: .eli, code: "5202", callID: 1_010_003, number: "01632960100"),
                Line.outbound("2026/10/04 09:00:00", talk: 300, user: .eli, code: "5203", callID: 1_010_004, number: "01632960200"),
                Line.outbound("2026/10/05 09:00:00", talk: 300, user: Self.intruder, code: "5201", callID: 1_010_005),
                Line.outbound("2026/10/05 10:00:00", talk: 300, code: "5901", callID: 1_010_006),
                Line.inbound("2026/10/10 10:00:00", talk: 300, callID: 1_010_010, number: "01632960100", callerName: Self.hostile),
                Line.outbound("2026/10/11 11:00:00", talk: 300, user: .eli, callID: 1_010_011, number: "07700900123"),
                Line.outbound("2026/10/12 12:00:00", talk: 300, code: "7777", callID: 1_010_012, number: Self.hostileNumber),
                Line.inbound("2026/09/15 09:00:00", talk: 60, callID: 1_009_001, number: "01632960300"),
            ])
            try await firm.succeed("rate")
            try await body(firm)
        }
    }

    /// Manual assignments of the call: `code|assigned_by|note`.
    static func assignments(_ connection: PostgresConnection, _ call: Call) throws -> [String] {
        try RatingFirm.strings(
            connection,
            "SELECT code || '|' || assigned_by || '|' || note FROM smdr.manual_assignment WHERE call_id = $1 AND call_start_local = $2::timestamp",
            [.int(call.id), .text(call.start)]
        )
    }

    static func assignmentCount(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("SELECT count(*) FROM smdr.manual_assignment")[0][0].int ?? -1
    }

    /// The current fee charges covering the call: `client amount currency rule`.
    static func charges(_ connection: PostgresConnection, _ call: Call) throws -> [String] {
        try RatingFirm.strings(
            connection,
            """
            SELECT client_id || ' ' || amount || ' ' || currency || ' ' || rule FROM smdr.charges
            WHERE kind = 'fee' AND charge_date = $2::timestamp::date AND $1 = ANY (call_ids) ORDER BY charge_id
            """,
            [.int(call.id), .text(call.start)]
        )
    }

    /// Whether the call still waits in `smdr.unassigned_calls`.
    static func isQueued(_ connection: PostgresConnection, _ call: Call) throws -> Bool {
        try connection.execute(
            "SELECT 1 FROM smdr.unassigned_calls WHERE call_id = $1 AND call_start_local = $2::timestamp", [.int(call.id), .text(call.start)]
        ).count == 1
    }

    /// `body` asserts the page shows `text` (raw) only escaped.
    static func expectEscaped(_ body: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let escaped = HTMLText.escape(text)
        #expect(!body.contains(text), "raw \(text) on the page", sourceLocation: sourceLocation)
        #expect(body.contains(escaped), "escaped \(escaped) not on the page", sourceLocation: sourceLocation)
        #expect(!body.lowercased().contains("href=\"javascript:"), sourceLocation: sourceLocation)
    }
}
