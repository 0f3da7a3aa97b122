import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

/// `smdr rate --rerate`, `--dry-run` and `smdr period` through the binary (issue 11 §3 and §5):
/// exactly the affected charges change, an identical re-rate is a no-op, readers never see a
/// half-switched run, and a closed month is left alone.
@Suite(.timeLimit(.minutes(5)))
struct RerateTests {
    private typealias Line = CaptureLine

    /// ALPHA (plan PA) bills on April 1 and 2, BRAVO (plan PB, 200.00) on April 3, so a change of
    /// PA touches ALPHA's days only; an unassigned call on April 4 is there to be assigned.
    private static func alphaAndBravo(_ firm: RatingFirm, alphaRate: String) async throws {
        try await firm.importRegister("codes", [
            RatingFirm.codesHeader, "5201,ALPHA,Alpha Ltd,,,,true,,", "5202,BRAVO,Bravo Ltd,,,,true,,",
        ])
        try await Self.plans(firm, alphaRate: alphaRate)
        try await firm.importRegister("rates", [RatingFirm.ratesHeader, "PA,ALPHA,,,,,", "PB,BRAVO,,,,,"])
        try await firm.ingest([
            Line.outbound("2026/04/01 09:00:00", talk: 300, code: "5201", callID: 1_003_001),
            Line.outbound("2026/04/02 09:00:00", talk: 700, code: "5201", callID: 1_003_002),
            Line.outbound("2026/04/03 09:00:00", talk: 300, user: .eli, code: "5202", callID: 1_003_003),
            Line.inbound("2026/04/04 09:00:00", talk: 300, callID: 1_003_004, number: "02079460999"),
        ])
    }

    private static func plans(_ firm: RatingFirm, alphaRate: String) async throws {
        try await firm.importRegister("plans", [
            RatingFirm.plansHeader, "PA,\(alphaRate),GBP,360,0,0,up,leg,false,", "PB,200.00,GBP,360,0,0,up,leg,false,",
        ])
    }

    private static let april = ["--from", "2026-04-01", "--to", "2026-04-30"]

    @Test func aChangedRateMovesExactlyTheAffectedCharges() async throws {
        try await RatingFirm.with { firm in
            try await Self.alphaAndBravo(firm, alphaRate: "100.00")
            try await firm.succeed("rate")
            let connection = try firm.connect()
            // ALPHA: 300 s → 0.1 h × 100.00 = 10.00 and 700 s → 0.2 h = 20.00: 2 calls, 0.3 h, 30.00.
            // BRAVO: 300 s → 0.1 h × 200.00 = 20.00.
            #expect(try RatingFirm.feeTotals(connection) == "ALPHA=30.00,BRAVO=20.00")
            let alphaBefore = try RatingFirm.identities(connection, client: "ALPHA")
            let bravoBefore = try RatingFirm.identities(connection, client: "BRAVO")
            let runsBefore = try RatingFirm.runCount(connection)

            try await Self.plans(firm, alphaRate: "150.00")
            let rerated = try await firm.run(["rate", "--rerate"] + Self.april)
            try #require(rerated.status == 0, "\(rerated.standardError)")
            // ALPHA now 0.1 h × 150.00 = 15.00 and 0.2 h × 150.00 = 30.00: 45.00; BRAVO untouched.
            #expect(try RatingFirm.feeTotals(connection) == "ALPHA=45.00,BRAVO=20.00")
            #expect(try RatingFirm.identities(connection, client: "BRAVO") == bravoBefore)
            let alphaAfter = try RatingFirm.identities(connection, client: "ALPHA")
            let newRun = try connection.execute("SELECT max(run_id) FROM smdr.rating_run")[0][0].int ?? -1
            #expect(try RatingFirm.runCount(connection) == runsBefore + 1)
            #expect(alphaAfter.count == 2 && Set(alphaAfter).isDisjoint(with: alphaBefore))
            #expect(alphaAfter.allSatisfy { $0.split(separator: ":")[1] == "\(newRun)" }, "\(alphaAfter) run \(newRun)")
            // The report: ALPHA, calls 2 → 2, hours 0.3 → 0.3, amount 30.00 → 45.00; nothing about BRAVO.
            let alpha = rerated.standardOutput.lines(mentioning: "ALPHA")
            #expect(alpha.count == 1 && alpha.allSatisfy { line($0, shows: "30.00", then: "45.00") }, "\(rerated.standardOutput)")
            #expect(rerated.standardOutput.lines(mentioning: "BRAVO").isEmpty, "\(rerated.standardOutput)")

            // The same again: nothing to do, no run, the same charges.
            let again = try await firm.run(["rate", "--rerate"] + Self.april)
            #expect(again.status == 0 && again.standardOutput.contains("no change"), "\(again.standardOutput) \(again.standardError)")
            #expect(try RatingFirm.runCount(connection) == runsBefore + 1)
            #expect(try RatingFirm.identities(connection, client: "ALPHA") == alphaAfter)

            // A dry run reports 45.00 → 60.00 (0.3 h × 200.00) and writes nothing.
            try await Self.plans(firm, alphaRate: "200.00")
            let dry = try await firm.run(["rate", "--rerate"] + Self.april + ["--dry-run"])
            try #require(dry.status == 0, "\(dry.standardError)")
            let dryAlpha = dry.standardOutput.lines(mentioning: "ALPHA")
            #expect(dryAlpha.count == 1 && dryAlpha.allSatisfy { line($0, shows: "45.00", then: "60.00") }, "\(dry.standardOutput)")
            #expect(try RatingFirm.runCount(connection) == runsBefore + 1)
            #expect(try RatingFirm.identities(connection, client: "ALPHA") == alphaAfter)
            #expect(try RatingFirm.identities(connection, client: "BRAVO") == bravoBefore)
        }
    }

    /// A reader in a REPEATABLE READ transaction keeps the total it started with while a re-rate
    /// switches underneath; a new transaction sees the new one.
    @Test func aReaderInATransactionKeepsItsSnapshot() async throws {
        try await RatingFirm.with { firm in
            try await Self.alphaAndBravo(firm, alphaRate: "100.00")
            try await firm.succeed("rate")
            let reader = try firm.connect()
            try reader.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let total = "SELECT sum(amount)::text FROM smdr.charges"
            // ALPHA 30.00 + BRAVO 20.00.
            #expect(try RatingFirm.strings(reader, total) == ["50.00"])

            try await Self.plans(firm, alphaRate: "200.00")
            let rerated = try await firm.run(["rate", "--rerate"] + Self.april)
            try #require(rerated.status == 0, "\(rerated.standardError)")
            #expect(try RatingFirm.strings(reader, total) == ["50.00"])
            try reader.executeScript("COMMIT")
            // ALPHA 0.3 h × 200.00 = 60.00 + BRAVO 20.00.
            #expect(try RatingFirm.strings(reader, total) == ["80.00"])
        }
    }

    /// Three months of calls whose every amount doubles: a reader polling the total while the
    /// re-rate runs sees the old total or the new, each from one run, never a mix.
    @Test func aPollingReaderNeverSeesAHalfSwitchedRerate() async throws {
        try await RatingFirm.with { firm in
            try await firm.importRegister("codes", [RatingFirm.codesHeader, "5301,LOAD,Load Ltd,,,,true,,"])
            let plan = { (rate: String) in [RatingFirm.plansHeader, "PL,\(rate),GBP,360,0,0,up,leg,false,"] }
            try await firm.importRegister("plans", plan("100.00"))
            try await firm.importRegister("rates", [RatingFirm.ratesHeader, "PL,LOAD,,,,,"])
            // March 1 to May 31 (92 days), 20 calls a day at 09:00, 09:10, …, each 300 s, alternately TK1 and TK2.
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            var lines: [String] = []
            for (month, days) in [("03", 31), ("04", 30), ("05", 31)] {
                for day in 1...days {
                    for call in 0..<20 {
                        let start = "2026/\(month)/\(two(day)) \(two(9 + call / 6)):\(call % 6)0:00"
                        let user: CaptureLine.User = call % 2 == 0 ? .dana : .eli
                        lines.append(Line.outbound(start, talk: 300, user: user, code: "5301", callID: 1_010_000 + lines.count))
                    }
                }
            }
            try await firm.ingest(lines)
            try await firm.succeed("rate")
            let reader = try firm.connect()
            let poll = "SELECT sum(amount)::text || ' ' || count(DISTINCT rating_run) FROM smdr.charges"
            // 1840 calls × (300 s → 0.1 h × 100.00 = 10.00) = 18400.00, then × 2 = 36800.00.
            let before = "18400.00 1", after = "36800.00 1"
            #expect(try RatingFirm.strings(reader, poll) == [before])

            try await firm.importRegister("plans", plan("200.00"))
            let rerate = try firm.start("rate", "--rerate", "--from", "2026-03-01", "--to", "2026-05-31")
            var seen: [String: Int] = [:]
            while rerate.isRunning {
                seen[try RatingFirm.strings(reader, poll)[0], default: 0] += 1
            }
            #expect(try await rerate.waitForExit() == 0, "\(rerate.standardError)")
            seen[try RatingFirm.strings(reader, poll)[0], default: 0] += 1
            #expect(Set(seen.keys).isSubset(of: [before, after]), "\(seen)")
            // The first poll runs right after the child starts, long before it can have read,
            // rated and written three months: the reader did watch the switch happen.
            #expect(seen[before] != nil, "\(seen)")
            #expect(try RatingFirm.strings(reader, poll) == [after])
        }
    }

    /// A closed month is never rewritten: `--rerate` over it and an open month rewrites the open
    /// one, reports what would differ in the closed one and exits 1; `smdr assign` into it is
    /// refused; reopened, it re-rates.
    @Test func aClosedMonthIsLeftAloneUntilReopened() async throws {
        try await RatingFirm.with { firm in
            try await Self.alphaAndBravo(firm, alphaRate: "100.00")
            // ALPHA in May too: 300 s → 0.1 h × 100.00 = 10.00.
            try await firm.ingest([Line.outbound("2026/05/04 09:00:00", talk: 300, code: "5201", callID: 1_003_005)])
            try await firm.succeed("rate")
            let connection = try firm.connect()
            // ALPHA 10.00 + 20.00 in April, 10.00 in May.
            #expect(try RatingFirm.feeTotals(connection) == "ALPHA=40.00,BRAVO=20.00")
            func april(_ client: String) throws -> [String] {
                try RatingFirm.strings(
                    connection,
                    "SELECT charge_id || ':' || rating_run || ':' || amount FROM smdr.charges WHERE client_id = $1 AND charge_date < '2026-05-01' ORDER BY charge_id",
                    [.text(client)]
                )
            }
            let alphaBefore = try april("ALPHA")
            let bravoBefore = try april("BRAVO")
            #expect(alphaBefore.count == 2 && bravoBefore.count == 1)

            try await firm.succeed("period", "close", "2026-04")
            let listed = try await firm.succeed("period", "list")
            #expect(listed.standardOutput.contains("2026-04"), "\(listed.standardOutput)")
            #expect(try RatingFirm.strings(connection, "SELECT month::text FROM smdr.rating_period") == ["2026-04-01"])

            try await Self.plans(firm, alphaRate: "250.00")
            let runs = try RatingFirm.runCount(connection)
            // April alone: nothing written, what would differ reported, exit 1.
            let refused = try await firm.run(["rate", "--rerate"] + Self.april)
            #expect(refused.status == 1, "\(refused.standardOutput) \(refused.standardError)")
            // ALPHA 30.00 → 0.1 h × 250.00 + 0.2 h × 250.00 = 25.00 + 50.00 = 75.00; BRAVO's plan did not change.
            let report = refused.standardOutput + refused.standardError
            let alpha = report.lines(mentioning: "ALPHA")
            #expect(alpha.count == 1 && alpha.allSatisfy { line($0, shows: "30.00", then: "75.00") }, "\(report)")
            #expect(report.lines(mentioning: "BRAVO").isEmpty, "\(report)")
            #expect(try RatingFirm.runCount(connection) == runs)

            // April and May: May is open and re-rated in a new run (0.1 h × 250.00 = 25.00), April is
            // left as it is and still reported (after the line saying it is closed), exit 1.
            let aprilAndMay = ["rate", "--rerate", "--from", "2026-04-01", "--to", "2026-05-31"]
            let partly = try await firm.run(aprilAndMay)
            #expect(partly.status == 1, "\(partly.standardOutput) \(partly.standardError)")
            let closedPart = partly.standardOutput.components(separatedBy: "closed").dropFirst().joined()
            #expect(!closedPart.lines(mentioning: "ALPHA").isEmpty, "\(partly.standardOutput)")
            #expect(try april("ALPHA") == alphaBefore)
            #expect(try april("BRAVO") == bravoBefore)
            #expect(try RatingFirm.runCount(connection) == runs + 1)
            #expect(try RatingFirm.feeTotals(connection) == "ALPHA=55.00,BRAVO=20.00")
            let may = try RatingFirm.identities(connection, client: "ALPHA").filter { !alphaBefore.contains($0) }

            let assign = try await firm.run("assign", "--site", "demo", "--call-id", "1003004", "5202")
            #expect(assign.status == 2, "\(assign.standardOutput) \(assign.standardError)")
            #expect(assign.standardError.contains("closed"), "\(assign.standardError)")
            #expect(try RatingFirm.strings(connection, "SELECT match_rule FROM smdr.matched_legs WHERE call_id = 1003004") == ["unassigned"])

            try await firm.succeed("period", "reopen", "2026-04")
            #expect(try RatingFirm.strings(connection, "SELECT count(*) FROM smdr.rating_period") == ["0"])
            try await firm.succeed(aprilAndMay)
            // April now 25.00 + 50.00 = 75.00, May 25.00 as before (its charge untouched).
            #expect(try RatingFirm.feeTotals(connection) == "ALPHA=100.00,BRAVO=20.00")
            #expect(may.count == 1)
            #expect(try Set(RatingFirm.identities(connection, client: "ALPHA")).isSuperset(of: may))
            #expect(try april("BRAVO") == bravoBefore)
        }
    }
}
