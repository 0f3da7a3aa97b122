import SMDRCore
import SMDRPostgres
import SMDRRating
import SMDRTestSupport
import Testing

/// The rating store against a real PostgreSQL: the lease, digests, writing a run and the switch
/// that makes it current, pruning, closed periods.
@Suite(.timeLimit(.minutes(2)))
struct RatingStoreTests {
    static let day = LocalDate(year: 2026, month: 4, day: 1)

    /// A fee of `amount` pence for call `callID` on ``day`` at site `siteID`.
    static func charge(siteID: Int, callID: Int, pence: Int64, client: String = "ACME") -> Charge {
        let start = LocalDateTime(year: 2026, month: 4, day: 1, hour: 10, minute: 0)
        let call = CallKey(siteID: siteID, callID: callID, startLocal: start)
        return Charge(
            kind: .fee, siteID: siteID, date: Self.day, clientID: client, matterID: nil, code: "4100", timekeeperID: "TK1",
            timekeeperName: "Dana Dee", scope: .leg, calls: [call],
            legs: [LegKey(siteID: siteID, callID: callID, startLocal: start, legOrdinal: 1)], rawSeconds: 240, billedSeconds: 360,
            billedHours: ExactDecimal(units: 1, scale: 1), hourlyRate: ExactDecimal(units: 40_000, scale: 2),
            amount: ExactDecimal(units: pence, scale: 2), currency: "GBP", planID: "PARTNER", rules: [.number], trace: "test",
            blocked: false
        )
    }

    static func site(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("INSERT INTO smdr.site (name, time_zone) VALUES ('demo', 'Europe/London') RETURNING id")[0][0].int!
    }

    /// `client=amount` of the current charges, and the runs they come from.
    static func current(_ connection: PostgresConnection) throws -> (amounts: [String], runs: Set<Int>) {
        let rows = try connection.execute(
            """
            SELECT c.client_id || '=' || c.amount, c.rating_run FROM smdr.charge AS c
            JOIN smdr.rating_day AS d ON d.site_id = c.site_id AND d.charge_date = c.charge_date AND d.rating_run = c.rating_run
            ORDER BY 1
            """
        )
        return (rows.map { $0[0].string! }, Set(rows.map { $0[1].int! }))
    }

    @Test func aSecondRunWaitsForTheLeaseUntilItIsReleasedOrExpires() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            #expect(try RatingStore.acquireLease(holder: "a", seconds: 60, on: connection) == nil)
            let busy = try RatingStore.acquireLease(holder: "b", seconds: 60, on: connection)
            #expect(busy?.hasPrefix("a (until ") == true)
            #expect(throws: PostgresError.self) { try RatingStore.renewLease(holder: "b", seconds: 60, on: connection) }
            try RatingStore.releaseLease(holder: "a", on: connection)
            #expect(try RatingStore.acquireLease(holder: "b", seconds: 0, on: connection) == nil)
            // b's lease has expired (0 s): a takes it.
            try connection.execute("SELECT pg_sleep(0.01)")
            #expect(try RatingStore.acquireLease(holder: "a", seconds: 60, on: connection) == nil)
        }
    }

    @Test func aRunBecomesCurrentOnlyWhenItSwitchesAndDigestsTellChange() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let site = try Self.site(connection)
            let day = RatingStore.Day(siteID: site, date: Self.day)
            #expect(try RatingStore.acquireLease(holder: "test", seconds: 60, on: connection) == nil)
            try RatingStore.ensurePartitions([Self.day], on: connection)
            let first = RatingStore.DayRows(charges: [Self.charge(siteID: site, callID: 1, pence: 4_000)])
            #expect(first.digest == RatingStore.DayRows(charges: [Self.charge(siteID: site, callID: 1, pence: 4_000)]).digest)
            let second = RatingStore.DayRows(charges: [Self.charge(siteID: site, callID: 1, pence: 5_000)])
            #expect(first.digest != second.digest)

            let run1 = try RatingStore.beginRun(kind: "rate", period: Self.day...Self.day, on: connection)
            try RatingStore.write(run: run1, days: [day: first.encoded()], on: connection)
            #expect(try Self.current(connection).amounts.isEmpty)  // written, not current
            try connection.withTransaction {
                try RatingStore.switchDays(run: run1, days: [day: first.digest], charges: 1, unrated: 0, keepSuperseded: true, holder: "test", on: connection)
            }
            #expect(try Self.current(connection).amounts == ["ACME=40.00"])
            #expect(try RatingStore.digests(on: Self.day...Self.day, on: connection) == [day: first.digest])

            // A re-rate keeps what it superseded; an incremental run deletes it.
            let run2 = try RatingStore.beginRun(kind: "rerate", period: Self.day...Self.day, on: connection)
            try RatingStore.write(run: run2, days: [day: second.encoded()], on: connection)
            try connection.withTransaction {
                try RatingStore.switchDays(run: run2, days: [day: second.digest], charges: 1, unrated: 0, keepSuperseded: true, holder: "test", on: connection)
            }
            #expect(try Self.current(connection) == (["ACME=50.00"], [run2]))
            #expect(try connection.execute("SELECT count(*) FROM smdr.charge")[0][0].int == 2)
            #expect(try RatingStore.pruneSuperseded(olderThanSeconds: 3_600, on: connection) == 0)
            #expect(try RatingStore.pruneSuperseded(olderThanSeconds: 0, on: connection) == 1)
            #expect(try Self.current(connection).amounts == ["ACME=50.00"])

            let run3 = try RatingStore.beginRun(kind: "rate", period: Self.day...Self.day, on: connection)
            try RatingStore.write(run: run3, days: [day: first.encoded()], on: connection)
            try connection.withTransaction {
                try RatingStore.switchDays(run: run3, days: [day: first.digest], charges: 1, unrated: 0, keepSuperseded: false, holder: "test", on: connection)
            }
            #expect(try Self.current(connection) == (["ACME=40.00"], [run3]))
            #expect(try connection.execute("SELECT count(*) FROM smdr.charge")[0][0].int == 1)

            // A day with nothing any more has no current run.
            try connection.withTransaction {
                try RatingStore.switchDays(run: nil, days: [day: nil], charges: 0, unrated: 0, keepSuperseded: false, holder: "test", on: connection)
            }
            #expect(try Self.current(connection).amounts.isEmpty)
            #expect(try RatingStore.digests(on: Self.day...Self.day, on: connection).isEmpty)

            // A switch without the lease changes nothing.
            try RatingStore.releaseLease(holder: "test", on: connection)
            #expect(throws: PostgresError.self) {
                try connection.withTransaction {
                    try RatingStore.switchDays(run: run3, days: [day: first.digest], charges: 1, unrated: 0, keepSuperseded: false, holder: "test", on: connection)
                }
            }
            #expect(try Self.current(connection).amounts.isEmpty)
        }
    }

    @Test func aClosedMonthIsNotSwitchedAndAMonthBusyRenewingIsBusy() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let site = try Self.site(connection)
            let day = RatingStore.Day(siteID: site, date: Self.day)
            let rows = RatingStore.DayRows(charges: [Self.charge(siteID: site, callID: 1, pence: 4_000)])
            #expect(try RatingStore.acquireLease(holder: "test", seconds: 60, on: connection) == nil)
            try RatingStore.ensurePartitions([Self.day], on: connection)
            let run = try RatingStore.beginRun(kind: "rate", period: Self.day...Self.day, on: connection)
            try RatingStore.write(run: run, days: [day: rows.encoded()], on: connection)
            _ = try PeriodStore.close(Self.day, on: connection)
            try connection.withTransaction {
                try RatingStore.switchDays(run: run, days: [day: rows.digest], charges: 1, unrated: 0, keepSuperseded: false, holder: "test", on: connection)
            }
            #expect(try Self.current(connection).amounts.isEmpty)

            // While a month's transaction holds the lease row (renewing it), another run is told at once.
            let other = try database.connect()
            try connection.executeScript("BEGIN")
            try RatingStore.renewLease(holder: "test", seconds: 60, on: connection)
            #expect(try RatingStore.acquireLease(holder: "other", seconds: 60, on: other) == "a run in progress (its lease is being renewed)")
            try connection.executeScript("COMMIT")
            #expect(try RatingStore.acquireLease(holder: "other", seconds: 60, on: other)?.hasPrefix("test (until ") == true)
        }
    }

    @Test func runsThatNeverSwitchedAreDiscarded() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let site = try Self.site(connection)
            try RatingStore.ensurePartitions([Self.day], on: connection)
            let run = try RatingStore.beginRun(kind: "rate", period: Self.day...Self.day, on: connection)
            try RatingStore.write(
                run: run, days: [RatingStore.Day(siteID: site, date: Self.day): RatingStore.DayRows(charges: [Self.charge(siteID: site, callID: 1, pence: 1)]).encoded()],
                on: connection
            )
            try RatingStore.discardUnfinishedRuns(on: connection)
            #expect(try connection.execute("SELECT (SELECT count(*) FROM smdr.charge) + (SELECT count(*) FROM smdr.rating_run)")[0][0].int == 0)
        }
    }

    @Test func closingAndReopeningAMonth() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let april = LocalDate(year: 2026, month: 4, day: 1)
            #expect(try PeriodStore.close(april, on: connection))
            #expect(try !PeriodStore.close(april, on: connection))
            #expect(try PeriodStore.closed(on: connection).map(\.month) == [april])
            #expect(try RatingStore.closedMonths(on: connection) == [april])
            #expect(try PeriodStore.reopen(april, on: connection))
            #expect(try !PeriodStore.reopen(april, on: connection))
            #expect(try PeriodStore.closed(on: connection).isEmpty)
        }
    }
}
