import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

/// Issue 11 §5's table of rating cases, checked to the cent through the real binary and database:
/// `smdr register import` → `smdr ingest` → `smdr rate` → `smdr.charges`. And the contract's
/// example firm (`Fixtures/rating/contract`, as `shared/contract/smoke.sh` walks it).
@Suite(.timeLimit(.minutes(5)))
struct RatingCaseTests {
    /// Every case of ``RatingCase/all`` in one database (each has its own clients, codes and
    /// Call IDs), rated by one `smdr rate`; each case's clients are then checked on their own.
    @Test func everyCaseBillsAsWorkedOutByHand() async throws {
        let cases = RatingCase.all
        try await RatingFirm.with { firm in
            let codes = cases.flatMap(\.codes).map { "\($0.code),\($0.client),\($0.client) Ltd,,,rating case,true,," }
            try await firm.importRegister("codes", [RatingFirm.codesHeader] + codes)
            try await firm.importRegister("plans", [RatingFirm.plansHeader] + cases.flatMap(\.plans))
            try await firm.importRegister("rates", [RatingFirm.ratesHeader] + cases.flatMap(\.rates))
            try await firm.ingest(cases.flatMap(\.lines))

            let rated = try await firm.succeed("rate")
            // The client without a plan is listed (one line per unrated leg), never dropped silently.
            #expect(rated.standardOutput.lines(mentioning: "NOPLAN").count == 1, "\(rated.standardOutput)")

            let connection = try firm.connect()
            for ratingCase in cases {
                for client in ratingCase.clients {
                    #expect(
                        try RatingFirm.fees(connection, client: client) == ratingCase.fees[client] ?? [],
                        "\(ratingCase.name): fees of \(client)"
                    )
                    #expect(
                        try RatingFirm.expenses(connection, client: client) == ratingCase.expenses[client] ?? [],
                        "\(ratingCase.name): expenses of \(client)"
                    )
                }
            }

            // Fees that bill nothing are kept with their trace, at 0.00: 179 s at nearest, 29 s under
            // a 30 s grace (with and without a minimum).
            #expect(
                try RatingFirm.strings(
                    connection,
                    "SELECT client_id || ' ' || raw_seconds || ' ' || amount FROM smdr.charges WHERE kind = 'fee' AND billed_seconds = 0 ORDER BY client_id"
                ) == ["GRACE 29 0.00", "GRMIN 29 0.00", "NEAR 179 0.00"]
            )
            // Traces in full, in the words the README shows. Call 1001001: 420 s, up to 360 s → 720 s
            // = 0.2 h × 300.00 = 60.00 (DESIGN §7's example, which also spells out "+ 0 s hold;
            // minimum 0": the rater leaves out what does not apply).
            func trace(_ client: String, _ condition: String) throws -> [String] {
                try RatingFirm.strings(connection, "SELECT trace FROM smdr.charges WHERE client_id = $1 AND \(condition)", [.text(client)])
            }
            #expect(try trace("UP", "raw_seconds = 420") == ["420 s talk; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00 GBP"])
            // The client day: four legs of 180 s listed, summed to 720 s, nearest 360 s → 720 s = 0.2 h × 100.00 = 20.00.
            #expect(try trace("DAY", "true") == ["4 legs: 180 + 180 + 180 + 180 s talk; nearest 360 s → 720 s = 0.2 h × 100.00 = 20.00 GBP"])
            // The expense of call 1002201: 2.50 × (1 + 10 / 100) = 2.75.
            #expect(try trace("CARRIER", "kind = 'expense' AND amount = 2.75") == ["carrier cost 2.50 GBP (Advice of Charge) + 10% = 2.75 GBP"])
            // The unrated leg is in its view, under the run that found it, and in the run's count.
            #expect(try RatingFirm.strings(connection, "SELECT client_id || ' ' || code FROM smdr.unrated_legs") == ["NOPLAN 5117"])
            #expect(try RatingFirm.strings(connection, "SELECT unrated_legs FROM smdr.rating_run") == ["1"])
            // Every fee line of the table, and nothing else, is in smdr.charges.
            let feeLines = cases.flatMap { $0.fees.values.flatMap { $0 } }.count
            #expect(try connection.execute("SELECT count(*) FROM smdr.charges WHERE kind = 'fee' AND billed_seconds > 0")[0][0].int == feeLines)

            // Nothing new: no run, and it says so.
            let runs = try RatingFirm.runCount(connection)
            let again = try await firm.succeed("rate")
            #expect(again.standardOutput.contains("no change"), "\(again.standardOutput)")
            #expect(try RatingFirm.runCount(connection) == runs)
        }
    }

    /// `shared/contract/expected.md`: ACME 65.00 and BETA 50.00; after `smdr assign` of the
    /// unassigned call 1000004 to 4200 and a re-rate of April, BETA 90.00 with 1000004 `manual`.
    @Test func theContractFirm() async throws {
        try await RatingFirm.withContractFirm { firm in
            let connection = try firm.connect()
            // 1000001: TK1 (PARTNER 400.00), 240 s up to 360 s = 0.1 h = 40.00, ACME.
            // 1000002: TK2 (STD 250.00), 480 s up to 720 s = 0.2 h = 50.00, BETA.
            // 1000003: TK2 (STD), 120 s up to 360 s = 0.1 h = 25.00, ACME. ACME: 40.00 + 25.00 = 65.00.
            #expect(try RatingFirm.feeTotals(connection) == "ACME=65.00,BETA=50.00")
            #expect(try RatingFirm.fees(connection, client: "ACME") == [
                "TK1 2026-04-01 leg 1/1 240→360 s 0.1 h × 400 = 40.00 GBP PARTNER number",
                "TK2 2026-04-01 leg 1/1 120→360 s 0.1 h × 250 = 25.00 GBP STD code",
            ])

            let assigned = try await firm.succeed("assign", "--site", "demo", "--call-id", "1000004", "4200")
            #expect(assigned.standardOutput.contains("1000004"))
            let rerated = try await firm.succeed("rate", "--rerate", "--from", "2026-04-01", "--to", "2026-04-30")
            // 1000004: TK1, PARTNER, 300 s up to 360 s = 0.1 h × 400.00 = 40.00 → BETA 50.00 + 40.00 = 90.00.
            #expect(try RatingFirm.feeTotals(connection) == "ACME=65.00,BETA=90.00")
            #expect(try RatingFirm.fees(connection, client: "BETA") == [
                "TK1 2026-04-01 leg 1/1 300→360 s 0.1 h × 400 = 40.00 GBP PARTNER manual",
                "TK2 2026-04-01 leg 1/1 480→720 s 0.2 h × 250 = 50.00 GBP STD number_prefix",
            ])
            #expect(
                try RatingFirm.strings(connection, "SELECT client_id || ':' || match_rule FROM smdr.matched_legs WHERE call_id = 1000004")
                    == ["BETA:manual"]
            )
            // The report names what changed (BETA: 50.00 → 90.00), and only that.
            let beta = rerated.standardOutput.lines(mentioning: "BETA")
            #expect(beta.count == 1 && beta.allSatisfy { line($0, shows: "50.00", then: "90.00") }, "\(rerated.standardOutput)")
            #expect(rerated.standardOutput.lines(mentioning: "ACME").isEmpty, "\(rerated.standardOutput)")
        }
    }
}
