import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import Testing

/// `smdr register import|export` against a real PostgreSQL, through the pipeline and through
/// the built binary.
@Suite(.timeLimit(.minutes(10)))
struct RegisterImportTests {
    /// The contract files of the billing contract smoke test (`../shared/contract`), found
    /// relative to this file; `nil` when they are not next to the project.
    static let contractDirectory: String? = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(4)  // RegisterImportTests.swift, Register, SMDRPipelineTests, Tests
        let directory = components.dropLast().joined(separator: "/") + "/shared/contract"
        return FileManager.default.fileExists(atPath: directory + "/codes.csv") ? directory : nil
    }()

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-register-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func run(_ kind: RegisterKind, _ path: String, replace: Bool = false, dryRun: Bool = false, _ database: TestDatabase) async throws -> String {
        try await database.withStore(maximumConnections: 1) { store in
            try await RegisterImport.run(kind: kind, path: path, replace: replace, dryRun: dryRun, store: store)
        }
    }

    static func export(_ kind: RegisterKind, _ database: TestDatabase) async throws -> [UInt8] {
        try await database.withStore(maximumConnections: 1) { try await RegisterExport.run(kind: kind, store: $0) }
    }

    static let codes = """
        code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to
        4100,ACME,Acme Widgets Ltd,ACME-001,Supply contract,Acme general,true,,
        4200,BETA,Beta & Sons,,,"Beta, all matters",true,2026-01-01,
        7*,ACME,Acme Widgets Ltd,,,"=cmd|' /C calc'!A0",yes,,

        """

    @Test func importReimportDryRunAndReplace() async throws {
        try await TestDatabase.withDatabase { database in
            let path = try Self.temporaryFile("codes.csv", Self.codes)
            #expect(try await Self.run(.codes, path, database) == "codes: 3 added, 0 changed, 0 deactivated, 0 unchanged\n")
            #expect(try await Self.run(.codes, path, database) == "codes: no change (3 unchanged)\n")

            let edited = try Self.temporaryFile(
                "codes.csv",
                """
                code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to
                4100,ACME,Acme Widgets Ltd,ACME-001,Supply contract,Acme general,true,,2026-12-31
                4300,GAMMA,Gamma plc,,,,true,,

                """
            )
            let before = try await Self.export(.codes, database)
            let plan = try await Self.run(.codes, edited, replace: true, dryRun: true, database)
            #expect(
                plan == """
                    would add code 4300 (line 3)
                    would change code 4100 (line 2): valid_to
                    would deactivate code 4200
                    would deactivate code 7*
                    codes: dry run, nothing changed; would be 1 added, 1 changed, 2 deactivated, 0 unchanged

                    """
            )
            #expect(try await Self.export(.codes, database) == before)

            #expect(try await Self.run(.codes, edited, replace: true, database) == "codes: 1 added, 1 changed, 2 deactivated, 0 unchanged\n")
            let active = try database.connect().execute("SELECT string_agg(code || '=' || active, ',' ORDER BY code) FROM smdr.account_code")
            #expect(active[0][0].string == "4100=true,4200=false,4300=true,7*=false")
            #expect(try await Self.run(.codes, edited, replace: true, database) == "codes: no change (2 unchanged)\n")
        }
    }

    @Test func oneBadRowAppliesNothingAndEveryProblemIsReported() async throws {
        try await TestDatabase.withDatabase { database in
            let codes = try Self.temporaryFile("codes.csv", Self.codes)
            _ = try await Self.run(.codes, codes, database)
            let numbers = try Self.temporaryFile(
                "numbers.csv",
                """
                number,match,code,blocked,note
                +441632960100,exact,4100,false,Acme switchboard
                +4416329602,prefix,4999,false,Beta DDI block
                +441632960100,exact,4200,false,again
                +44 1632,prefix,4200,true,spaces

                """
            )
            let error = await #expect(throws: RegisterFileError.self) { try await Self.run(.numbers, numbers, database) }
            #expect(
                error?.description == """
                    \(numbers):3: column code: 4999 is not a registered code; expected a code of the codes file (import it first with smdr register import codes)
                    \(numbers):4: column number: +441632960100 is also on line 2; expected each number once
                    \(numbers):5: column number: '+44 1632' is not an E.164 number; expected E.164 with +: + and 1 to 15 digits, the first not 0 (+441632960100)
                    \(numbers): nothing imported (3 problems)
                    """
            )
            #expect(try database.connect().execute("SELECT count(*) FROM smdr.client_number")[0][0].int == 0)
        }
    }

    @Test func exportThenImportIsANoOpAndByteIdentical() async throws {
        try await TestDatabase.withDatabase { database in
            try Site(name: "demo", timeZone: "Europe/London").save(on: database.connect())
            let files: [(RegisterKind, String)] = [
                (.codes, Self.codes),
                (.numbers, "number,match,code,blocked,note\n+4416329602,prefix,4200,true,\"line\nbreak, \"\"quoted\"\"\"\n+441632960100,exact,4100,,\n+1202555,prefix,4100,0,US block\n"),
                (.defaults, "site,kind,value,code\ndemo,user,Conference Room,4200\ndemo,extension,301,4100\ndemo,ddi,01632960999,4100\n"),
                (.timekeepers, "timekeeper_id,name,classification,site,extension,user_name\nTK2,Eli Eve,AS,demo,302,\nTK1,Dana Dee,PT,demo,301,Dana Dee\nTK9,Roamer,,,,Roamer\n"),
            ]
            for (kind, text) in files {
                _ = try await Self.run(kind, try Self.temporaryFile("\(kind.rawValue).csv", text), database)
                let exported = try await Self.export(kind, database)
                let path = try Self.temporaryFile("export.csv", "")
                try Data(exported).write(to: URL(fileURLWithPath: path))
                #expect(try await Self.run(kind, path, replace: true, database) == "\(kind.rawValue): no change (3 unchanged)\n")
                #expect(try await Self.export(kind, database) == exported)
                // Sorted by key, CRLF, header in DESIGN order.
                let lines = String(decoding: exported, as: UTF8.self).components(separatedBy: "\r\n")
                #expect(lines.first == kind.columns.joined(separator: ","))
            }
            let defaults = String(decoding: try await Self.export(.defaults, database), as: UTF8.self)
            #expect(defaults == "site,kind,value,code\r\ndemo,ddi,01632960999,4100\r\ndemo,extension,301,4100\r\ndemo,user,Conference Room,4200\r\n")
        }
    }

    @Test func tenThousandRowFileImportsQuickly() async throws {
        try await TestDatabase.withDatabase { database in
            var text = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\r\n"
            for row in 0..<10_000 {
                text += "C\(row),CL\(row % 500),\"Client \(row % 500), Ltd\",M\(row % 7),Matter \(row % 7),\"say \"\"\(row)\"\"\",true,2026-01-01,\r\n"
            }
            let path = try Self.temporaryFile("codes.csv", text)
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await Self.run(.codes, path, database) == "codes: 10000 added, 0 changed, 0 deactivated, 0 unchanged\n")
            let elapsed = clock.now - started
            #expect(try await Self.run(.codes, path, database) == "codes: no change (10000 unchanged)\n")
            #expect(elapsed < .seconds(30), "10k codes took \(elapsed)")
            let counts = try database.connect().execute("SELECT (SELECT count(*) FROM smdr.client), (SELECT count(*) FROM smdr.matter)")
            #expect(counts[0][0].int == 500 && counts[0][1].int == 3500)
        }
    }

    @Test(.enabled(if: Self.contractDirectory != nil)) func contractFilesImportCleanly() async throws {
        let directory = try #require(Self.contractDirectory)
        try await TestDatabase.withDatabase { database in
            try Site(name: "demo", timeZone: "Europe/London", countryCode: "44").save(on: database.connect())
            #expect(try await Self.run(.codes, directory + "/codes.csv", database) == "codes: 2 added, 0 changed, 0 deactivated, 0 unchanged\n")
            #expect(try await Self.run(.numbers, directory + "/numbers.csv", database) == "numbers: 2 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await Self.run(.timekeepers, directory + "/timekeepers.csv", database) == "timekeepers: 2 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await Self.run(.codes, directory + "/codes.csv", database) == "codes: no change (2 unchanged)\n")
            #expect(try await Self.run(.plans, directory + "/plans.csv", database) == "plans: 2 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await Self.run(.rates, directory + "/rates.csv", database) == "rates: 2 added, 0 changed, 0 removed, 0 unchanged\n")
            #expect(try await Self.run(.rates, directory + "/rates.csv", database) == "rates: no change (2 unchanged)\n")
        }
    }

    /// The binary: import, the bad-row message and exit 2, plans and a refused rate, export to a file.
    @Test func commandLineEndToEnd() async throws {
        try await TestDatabase.withDatabase { database in
            let conninfo = database.conninfo
            func smdr(_ arguments: [String]) async throws -> (status: Int32, standardOutput: String, standardError: String) {
                try await TestProcess.run(TestProcess.smdrExecutable, arguments + ["--database", conninfo])
            }
            let codes = try Self.temporaryFile("codes.csv", Self.codes)
            let imported = try await smdr(["register", "import", "codes", codes])
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput == "codes: 3 added, 0 changed, 0 deactivated, 0 unchanged\n")

            let bad = try Self.temporaryFile("codes.csv", "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n4100,ACME,Acme,,,,true,,\n4101,ACME,Acme,,,,true,2026-13-01,\n")
            let refused = try await smdr(["register", "import", "codes", bad])
            #expect(refused.status == 2)
            #expect(refused.standardError == "\(bad):3: column valid_from: 2026-13-01 is not a date; expected YYYY-MM-DD or empty\n\(bad): nothing imported (1 problem)\n")

            let planFile = try Self.temporaryFile("plans.csv", "\(RegisterKind.plans.columns.joined(separator: ","))\nSTD,250.00,GBP,360,0,0,up,leg,false,\n")
            let plans = try await smdr(["register", "import", "plans", planFile])
            #expect(plans.status == 0 && plans.standardOutput == "plans: 1 added, 0 changed, 0 removed, 0 unchanged\n", "\(plans.standardError)")
            let rateFile = try Self.temporaryFile("rates.csv", "\(RegisterKind.rates.columns.joined(separator: ","))\nGOLD,,,,,,\n")
            let rates = try await smdr(["register", "import", "rates", rateFile])
            #expect(rates.status == 2)
            #expect(
                rates.standardError
                    == "\(rateFile):2: column plan_id: no plan named GOLD; expected a plan of the plans file (import plans first with smdr register import plans)\n\(rateFile): nothing imported (1 problem)\n"
            )

            let output = try Self.temporaryFile("out.csv", "")
            let exported = try await smdr(["register", "export", "codes", "--output", output])
            #expect(exported.status == 0, "\(exported.standardError)")
            let again = try await smdr(["register", "import", "codes", output])
            #expect(again.status == 0 && again.standardOutput == "codes: no change (3 unchanged)\n", "\(again.standardError)")
            let stdout = try await smdr(["register", "export", "codes"])
            #expect(Array(stdout.standardOutput.utf8) == Array(try Data(contentsOf: URL(fileURLWithPath: output))))
        }
    }
}
