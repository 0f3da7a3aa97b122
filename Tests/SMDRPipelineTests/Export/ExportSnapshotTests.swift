import Foundation
import SMDRCore
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import Testing

/// Issue 12 §1: an export reads one consistent snapshot. A re-rate that switches the current run
/// while an export's snapshot is open is invisible to it; the next snapshot sees all of it.
@Suite(.timeLimit(.minutes(5)))
struct ExportSnapshotTests {
    /// `charge_id client amount` of every charge `ReportStore.charges` streams, in its order.
    private static func lines(_ connection: PostgresConnection) throws -> [String] {
        var lines: [String] = []
        let filter = ReportStore.ChargeFilter(from: LocalDate(year: 2026, month: 4, day: 1), to: LocalDate(year: 2026, month: 4, day: 30))
        try ReportStore.charges(filter, on: connection) { charge in
            lines.append("\(charge.chargeID) \(charge.clientID) \(charge.amount) \(charge.calls.map(\.callID))")
        }
        return lines
    }

    @Test func aRerateSwitchedDuringAnExportIsNotSeenByIt() async throws {
        try await RatingFirm.withContractFirm { firm in
            // STD now 300.00 an hour: call 1000002 (TK2, 0.2 h) becomes 60.00, 1000003 (0.1 h) 30.00.
            let plans = try firm.write("plans-300.csv", [
                RatingFirm.plansHeader, "STD,300.00,GBP,360,0,0,up,leg,false,", "PARTNER,400.00,GBP,360,0,0,up,leg,false,",
            ])
            let smdr = TestProcess.smdrExecutable
            let database = ["--database", firm.database.conninfo]

            let connection = try firm.connect()
            let (before, during) = try ReportStore.withSnapshot(on: connection) {
                // The snapshot is taken by the first statement; the re-rate then runs to the end
                // and switches (its own transaction) while this one is still open.
                let before = try Self.lines(connection)
                #expect(try TestProcess.runBlocking(smdr, ["register", "import", "plans", plans] + database) == 0)
                #expect(try TestProcess.runBlocking(smdr, ["rate", "--rerate", "--from", "2026-04-01", "--to", "2026-04-30"] + database) == 0)
                return (before, try Self.lines(connection))
            }
            // By hand: 1000001 ACME 40.00 (PARTNER), 1000003 ACME 25.00, 1000002 BETA 50.00 (STD 250).
            #expect(before.map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == [
                "ACME 40.00 [1000001]", "ACME 25.00 [1000003]", "BETA 50.00 [1000002]",
            ])
            #expect(during == before)
            // After the snapshot: the re-rated STD charges, under new charge ids.
            let after = try Self.lines(connection)
            #expect(after.map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == [
                "ACME 40.00 [1000001]", "ACME 30.00 [1000003]", "BETA 60.00 [1000002]",
            ])
            #expect(Set(after).isDisjoint(with: before.filter { !$0.contains("40.00") }))
        }
    }
}
