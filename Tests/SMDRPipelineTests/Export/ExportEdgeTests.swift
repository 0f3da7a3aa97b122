import Foundation
import SMDRReports
import SMDRTestSupport
import Testing

/// What an export and a report must survive: a plan deleted after its charges were rated, and a
/// period too long to chart.
@Suite(.timeLimit(.minutes(5)))
struct ExportEdgeTests {
    /// Call 1000001 was rated under PARTNER (TK1, 40.00). PARTNER's rate and then the plan are
    /// removed from the register; until a re-rate its charge is still current, so it is still
    /// exported — with its amount and plan as rated.
    @Test func aChargeOfADeletedPlanIsStillExported() async throws {
        try await RatingFirm.withContractFirm { firm in
            let rates = try firm.write("rates-std.csv", [RatingFirm.ratesHeader, "STD,,,,demo,,"])
            try await firm.succeed("register", "import", "rates", rates, "--replace")
            let plans = try firm.write("plans-std.csv", [RatingFirm.plansHeader, "STD,250.00,GBP,360,0,0,up,leg,false,"])
            try await firm.succeed("register", "import", "plans", plans, "--replace")
            let connection = try firm.connect()
            #expect(try RatingFirm.strings(connection, "SELECT count(*) FROM smdr.rate_plan WHERE plan_id = 'PARTNER'") == ["0"])

            let csv = try await firm.succeed("export", "--format", "csv", "--from", "2026-04-01", "--to", "2026-04-30")
            let records = try CSVReader.records(Array(csv.standardOutput.utf8))
            let header = try #require(records.first?.fields)
            let plan = try #require(header.firstIndex(of: "plan_id"))
            let amount = try #require(header.firstIndex(of: "amount"))
            let seconds = try #require(header.firstIndex(of: "call_seconds"))
            #expect(records.dropFirst().map { "\($0.fields[plan]) \($0.fields[amount]) \($0.fields[seconds])" } == [
                "PARTNER 40.00 240", "STD 25.00 120", "STD 50.00 480",
            ])
        }
    }

    @Test func aReportLongerThanItsLimitIsRefused() async throws {
        try await RatingFirm.withContractFirm { firm in
            let refused = try await firm.run("report", "--from", "2026-04-01", "--to", "2026-05-01", "--max-days", "30")
            #expect(refused.status == 2)
            #expect(refused.standardError.contains("--from 2026-04-01 --to 2026-05-01 is 31 days; expected at most 30"), "\(refused.standardError)")
            let allowed = try await firm.run("report", "--from", "2026-04-01", "--to", "2026-04-30", "--max-days", "30")
            #expect(allowed.status == 0, "\(allowed.standardError)")
        }
    }
}
