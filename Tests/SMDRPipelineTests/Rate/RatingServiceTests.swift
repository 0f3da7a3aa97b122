import SMDRPostgres
@testable import SMDRPipeline
import SMDRTestSupport
import Testing

/// `serve`'s rater against a real PostgreSQL: it rates what was loaded, on its own, every
/// interval, and stops when its task is cancelled.
@Suite(.timeLimit(.minutes(2)))
struct RatingServiceTests {
    @Test func itRatesLoadedCallsEveryIntervalAndStops() async throws {
        try await TestDatabase.withDatabase { database in
            try await MatchRunTests.prepare(database, lines: MatchRunTests.contractCapture)
            let connection = try database.connect()
            // The contract's plans and rates (shared/contract/plans.csv, rates.csv).
            try connection.executeScript(
                """
                INSERT INTO smdr.rate_plan (plan_id, hourly_rate, currency, increment_seconds, minimum_seconds, grace_seconds, rounding, scope, bill_hold_time)
                VALUES ('STD', 250.00, 'GBP', 360, 0, 0, 'up', 'leg', false), ('PARTNER', 400.00, 'GBP', 360, 0, 0, 'up', 'leg', false);
                INSERT INTO smdr.rate_assignment (plan_id, site_id) SELECT 'STD', id FROM smdr.site WHERE name = 'demo';
                INSERT INTO smdr.rate_assignment (plan_id, timekeeper_id) VALUES ('PARTNER', 'TK1');
                """
            )
            let service = RatingService(interval: .milliseconds(100), connection: database.configuration, logger: testLogger())
            let running = Task { try await service.run() }
            // expected.md: ACME 40.00 + 25.00, BETA 50.00; call 1000004 waits in the review queue.
            try await eventually {
                try connection.execute("SELECT string_agg(client_id || '=' || amount, ',' ORDER BY client_id) FROM (SELECT client_id, sum(amount) AS amount FROM smdr.charges GROUP BY 1) AS t")[0][0].string
                    == "ACME=65.00,BETA=50.00"
            }
            running.cancel()
            try await running.value
            #expect(try connection.execute("SELECT count(*) FROM smdr.rating_run")[0][0].int == 1)
            #expect(try connection.execute("SELECT lease_holder FROM smdr.rating_state")[0][0].string == nil)
        }
    }
}
