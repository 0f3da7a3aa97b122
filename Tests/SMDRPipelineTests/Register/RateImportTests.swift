import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import Testing

/// `smdr register import|export plans|rates` against a real PostgreSQL: round trips, no-op
/// re-imports, dry runs, the checks that need the register, overlaps and `--replace`.
@Suite(.timeLimit(.minutes(10)))
struct RateImportTests {
    static let plansHeader = RegisterKind.plans.columns.joined(separator: ",")
    static let ratesHeader = RegisterKind.rates.columns.joined(separator: ",")
    static let overlapExpected = "expected one plan for a target at a time (end one assignment where the next begins)"

    /// Sites demo and hq, clients ACME (matter ACME-001) and BETA (no matter), timekeepers TK1 and TK2.
    private static func registerBasics(_ database: TestDatabase) async throws {
        let connection = try database.connect()
        try Site(name: "demo", timeZone: "Europe/London").save(on: connection)
        try Site(name: "hq", timeZone: "Europe/Berlin").save(on: connection)
        let codes = """
            code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to
            4100,ACME,Acme Widgets Ltd,ACME-001,Supply contract,,true,,
            4200,BETA,Beta & Sons,,,,true,,

            """
        let keepers = "timekeeper_id,name,classification,site,extension,user_name\nTK1,Dana Dee,PT,demo,301,\nTK2,Eli Eve,AS,demo,302,\n"
        _ = try await RegisterImportTests.run(.codes, try RegisterImportTests.temporaryFile("codes.csv", codes), database)
        _ = try await RegisterImportTests.run(.timekeepers, try RegisterImportTests.temporaryFile("timekeepers.csv", keepers), database)
    }

    private static func file(_ name: String, _ header: String, _ rows: [String], separator: String = "\n") throws -> String {
        try RegisterImportTests.temporaryFile(name, ([header] + rows).map { $0 + separator }.joined())
    }

    private static func importing(_ kind: RegisterKind, _ path: String, replace: Bool = false, dryRun: Bool = false, _ database: TestDatabase) async throws -> String {
        try await RegisterImportTests.run(kind, path, replace: replace, dryRun: dryRun, database)
    }

    /// The error an import is refused with, as the command prints it.
    private static func refusal(_ kind: RegisterKind, _ path: String, replace: Bool = false, _ database: TestDatabase) async -> String? {
        let error = await #expect(throws: RegisterFileError.self) { try await Self.importing(kind, path, replace: replace, database) }
        return error?.description
    }

    static let plans = [
        "BHD,12.125,BHD,360,720,30,nearest,call,true,",
        "JPY,30000,JPY,60,0,0,down,client_day,false,0",
        "STD,333.33,GBP,360,0,0,up,leg,false,15.5",
    ]

    /// In export order: site, client, matter, timekeeper (empty first), then start (open first).
    static let rates = [
        "JPY,,,TK2,,,",
        "STD,ACME,,,,,2026-04-01",
        "BHD,ACME,,,,2026-04-01,",
        "STD,ACME,ACME-001,TK1,,2026-03-29 01:30,",
        "STD,,,,demo,,",
        "JPY,BETA,,,hq,2026-01-01 09:15,2027-01-01",
    ]

    @Test func exportThenImportIsByteIdenticalAndASecondImportChangesNothing() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.registerBasics(database)
            let plans = try Self.file("plans.csv", Self.plansHeader, Self.plans, separator: "\r\n")
            #expect(try await Self.importing(.plans, plans, database) == "plans: 3 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await RegisterImportTests.export(.plans, database) == Array(try Data(contentsOf: URL(fileURLWithPath: plans))))
            #expect(try await Self.importing(.plans, plans, database) == "plans: no change (3 unchanged)\n")

            let rates = try Self.file("rates.csv", Self.ratesHeader, Self.rates, separator: "\r\n")
            #expect(try await Self.importing(.rates, rates, database) == "rates: 6 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await RegisterImportTests.export(.rates, database) == Array(try Data(contentsOf: URL(fileURLWithPath: rates))))
            #expect(try await Self.importing(.rates, rates, replace: true, database) == "rates: no change (6 unchanged)\n")
            let stored = try database.connect().execute(
                "SELECT effective_from::text, site_id IS NULL FROM smdr.rate_assignment WHERE matter_id = 'ACME-001'"
            )
            #expect(stored[0][0].string == "2026-03-29 01:30:00" && stored[0][1].bool == true)

            // A decimal's written scale is kept: 333.330 is a change, and export writes it back.
            let rescaled = try Self.file("plans.csv", Self.plansHeader, [Self.plans[2].replacingOccurrences(of: "333.33", with: "333.330")])
            #expect(try await Self.importing(.plans, rescaled, database) == "plans: 0 added, 1 changed, 0 removed, 0 unchanged\n")
            let exported = String(decoding: try await RegisterImportTests.export(.plans, database), as: UTF8.self)
            #expect(exported.hasSuffix("\r\nSTD,333.330,GBP,360,0,0,up,leg,false,15.5\r\n"))
        }
    }

    @Test func movingABoundaryInOneFileIsFineButOverlappingAKeptAssignmentIsNot() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.registerBasics(database)
            _ = try await Self.importing(.plans, try Self.file("plans.csv", Self.plansHeader, Self.plans), database)
            _ = try await Self.importing(.rates, try Self.file("rates.csv", Self.ratesHeader, Self.rates), database)
            let before = try await RegisterImportTests.export(.rates, database)

            // STD for ACME now ends on 1 May and BHD starts then.
            var moved = Self.rates
            moved[1] = "STD,ACME,,,,,2026-05-01"
            moved[2] = "BHD,ACME,,,,2026-05-01,"
            let path = try Self.file("rates.csv", Self.ratesHeader, moved)

            // Without --replace the registered BHD from 1 April stays, and both new rows overlap it.
            #expect(
                await Self.refusal(.rates, path, database) == """
                    \(path):3: column effective_from: STD from open to 2026-05-01 for client ACME overlaps registered assignment BHD from 2026-04-01 to open; \(Self.overlapExpected)
                    \(path):4: column effective_from: BHD from 2026-05-01 to open for client ACME overlaps registered assignment BHD from 2026-04-01 to open; \(Self.overlapExpected)
                    \(path): nothing imported (2 problems)
                    """
            )
            #expect(try await RegisterImportTests.export(.rates, database) == before)

            let plan = try await Self.importing(.rates, path, replace: true, dryRun: true, database)
            #expect(
                plan == """
                    would add rate BHD for client ACME from 2026-05-01 (line 4)
                    would change rate STD for client ACME from open (line 3): effective_to
                    would remove rate BHD for client ACME from 2026-04-01
                    rates: dry run, nothing changed; would be 1 added, 1 changed, 1 removed, 4 unchanged

                    """
            )
            #expect(try await RegisterImportTests.export(.rates, database) == before)

            #expect(try await Self.importing(.rates, path, replace: true, database) == "rates: 1 added, 1 changed, 1 removed, 4 unchanged\n")
            let acme = try database.connect().execute(
                """
                SELECT string_agg(plan_id || ' ' || coalesce(effective_from::text, 'open') || '..' || coalesce(effective_to::text, 'open'), '; '
                    ORDER BY effective_from NULLS FIRST)
                FROM smdr.rate_assignment WHERE client_id = 'ACME' AND matter_id IS NULL
                """
            )
            #expect(acme[0][0].string == "STD open..2026-05-01 00:00:00; BHD 2026-05-01 00:00:00..open")
        }
    }

    @Test func overlappingRowsOfOneFileNameBothLines() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.registerBasics(database)
            _ = try await Self.importing(.plans, try Self.file("plans.csv", Self.plansHeader, Self.plans), database)
            let path = try Self.file(
                "rates.csv", Self.ratesHeader,
                [
                    "STD,BETA,,,,2026-01-01,2026-07-01",
                    "BHD,BETA,,,,2026-06-30 23:59,",
                    "JPY,BETA,,TK1,,2026-06-01,",  // another target: no overlap
                    "JPY,BETA,,,hq,,",  // another target (one site only): no overlap
                ]
            )
            #expect(
                await Self.refusal(.rates, path, database) == """
                    \(path):3: column effective_from: BHD from 2026-06-30 23:59 to open for client BETA overlaps line 2 (STD from 2026-01-01 to 2026-07-01); \(Self.overlapExpected)
                    \(path): nothing imported (1 problem)
                    """
            )
            #expect(try database.connect().execute("SELECT count(*) FROM smdr.rate_assignment")[0][0].int == 0)

            // Back to back (the end is exclusive) is fine.
            let adjacent = try Self.file("rates.csv", Self.ratesHeader, ["STD,BETA,,,,2026-01-01,2026-07-01", "BHD,BETA,,,,2026-07-01,"])
            #expect(try await Self.importing(.rates, adjacent, database) == "rates: 2 added, 0 changed, 0 removed, 0 unchanged\n")
        }
    }

    @Test func rowsNamingWhatIsNotRegisteredAreRefused() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.registerBasics(database)
            _ = try await Self.importing(.plans, try Self.file("plans.csv", Self.plansHeader, Self.plans), database)
            let path = try Self.file(
                "rates.csv", Self.ratesHeader,
                ["GOLD,ACME,,,,,", "STD,ZETA,,,,,", "STD,BETA,ACME-001,,,,", "STD,,,TK7,,,", "STD,,,,nowhere,,", "STD,ACME,ACME-009,,,,", "STD,,,,hq,,"]
            )
            #expect(
                await Self.refusal(.rates, path, database) == """
                    \(path):2: column plan_id: no plan named GOLD; expected a plan of the plans file (import plans first with smdr register import plans)
                    \(path):3: column client_id: ZETA is not a registered client; expected a client of the codes file (import codes first with smdr register import codes)
                    \(path):4: column matter_id: ACME-001 is not a matter of client BETA; expected a matter_id the codes file gives BETA (it has none), or empty
                    \(path):5: column timekeeper_id: TK7 is not a registered timekeeper; expected a timekeeper of the timekeepers file (import timekeepers first with smdr register import timekeepers)
                    \(path):6: column site: no site named nowhere; expected a site of smdr site list (demo, hq)
                    \(path):7: column matter_id: ACME-009 is not a matter of client ACME; expected a matter_id the codes file gives ACME (ACME-001), or empty
                    \(path): nothing imported (6 problems)
                    """
            )
            #expect(try database.connect().execute("SELECT count(*) FROM smdr.rate_assignment")[0][0].int == 0)
        }
    }

    @Test func replaceRemovesRowsButNotAPlanOrTimekeeperStillAssigned() async throws {
        try await TestDatabase.withDatabase { database in
            try await Self.registerBasics(database)
            _ = try await Self.importing(.plans, try Self.file("plans.csv", Self.plansHeader, Self.plans), database)
            _ = try await Self.importing(
                .rates, try Self.file("rates.csv", Self.ratesHeader, ["BHD,ACME,,,,2026-04-01,", "STD,,,TK2,,,", "STD,,,,demo,,"]), database
            )

            let onlyStandard = try Self.file("plans.csv", Self.plansHeader, [Self.plans[2]])
            #expect(
                await Self.refusal(.plans, onlyStandard, replace: true, database) == """
                    \(onlyStandard):1: column plan_id: plan BHD is not in the file but rate assignments use it (client ACME: BHD from 2026-04-01 to open); expected every plan a rate assignment uses (change those first with smdr register import rates)
                    \(onlyStandard): nothing imported (1 problem)
                    """
            )
            let onlyDana = try RegisterImportTests.temporaryFile(
                "timekeepers.csv", "timekeeper_id,name,classification,site,extension,user_name\nTK1,Dana Dee,PT,demo,301,\n"
            )
            #expect(
                await Self.refusal(.timekeepers, onlyDana, replace: true, database) == """
                    \(onlyDana):1: column timekeeper_id: timekeeper TK2 is not in the file but rate assignments use it (timekeeper TK2: STD from open to open); expected every timekeeper a rate assignment uses (change those first with smdr register import rates)
                    \(onlyDana): nothing imported (1 problem)
                    """
            )

            let siteDefaultOnly = try Self.file("rates.csv", Self.ratesHeader, ["STD,,,,demo,,"])
            #expect(try await Self.importing(.rates, siteDefaultOnly, replace: true, database) == "rates: 0 added, 0 changed, 2 removed, 1 unchanged\n")
            #expect(try await Self.importing(.plans, onlyStandard, replace: true, database) == "plans: 0 added, 0 changed, 2 removed, 1 unchanged\n")
            #expect(try await Self.importing(.timekeepers, onlyDana, replace: true, database) == "timekeepers: 0 added, 0 changed, 1 removed, 1 unchanged\n")
            let left = try database.connect().execute(
                "SELECT (SELECT string_agg(plan_id, ',') FROM smdr.rate_plan), (SELECT count(*) FROM smdr.rate_assignment)"
            )
            #expect(left[0][0].string == "STD" && left[0][1].int == 1)
        }
    }

    /// The billing role imports plans and rates (grants of schema/035).
    @Test func billingRoleWritesPlansAndRates() async throws {
        try await TestDatabase.withDatabase { database in
            let rows = try database.connect().execute(
                """
                SELECT string_agg(t || ':' || p, ',' ORDER BY t, p) FROM unnest(ARRAY['rate_plan', 'rate_assignment']) AS t,
                    unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p
                WHERE NOT has_table_privilege('smdr_billing', 'smdr.' || t, p)
                """
            )
            #expect(rows[0][0].string == nil)
        }
    }
}
