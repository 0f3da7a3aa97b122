import SMDRCore
import SMDRPostgres
import SMDRRating
import SMDRTestSupport
import Testing

/// RegisterStore against a real PostgreSQL: upsert by key, no-op re-import, dry run, replace,
/// refused rows, and the snapshot the matcher loads.
@Suite(.timeLimit(.minutes(5)))
struct RegisterStoreTests {
    static let acme = AccountCode(code: "4100", clientID: "ACME", clientName: "Acme Widgets Ltd", matterID: "ACME-001", matterName: "Supply contract")
    static let beta = AccountCode(
        code: "4200", clientID: "BETA", clientName: "Beta & Sons", description: "Beta, all matters",
        validFrom: LocalDate(year: 2026, month: 1, day: 1)
    )
    static let pattern = AccountCode(code: "7*", clientID: "ACME", clientName: "Acme Widgets Ltd")

    private static func lined<Value>(_ values: [Value]) -> [RegisterRow<Value>] {
        values.enumerated().map { RegisterRow(line: $0.offset + 2, value: $0.element) }
    }

    private static func count(_ connection: PostgresConnection, _ sql: String) throws -> Int {
        try connection.execute(sql)[0][0].int ?? -1
    }

    @Test func importUpsertsByKeyAndASecondImportChangesNothing() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let store = RegisterStore(connection: connection)
            let first = try store.apply(.codes(Self.lined([Self.acme, Self.beta, Self.pattern])), replace: false, dryRun: false)
            #expect(first.added.map(\.key) == [["4100"], ["4200"], ["7*"]] && first.changed.isEmpty && first.unchanged == 0)
            #expect(try store.codes() == [Self.acme, Self.beta, Self.pattern])
            #expect(try Self.count(connection, "SELECT count(*) FROM smdr.client") == 2)
            #expect(try Self.count(connection, "SELECT count(*) FROM smdr.matter") == 1)

            let stamp = try connection.execute("SELECT string_agg(updated_at::text, ',' ORDER BY code) FROM smdr.account_code")[0][0].string
            let again = try store.apply(.codes(Self.lined([Self.acme, Self.beta, Self.pattern])), replace: false, dryRun: false)
            #expect(again.isNoChange && again.unchanged == 3)
            #expect(try connection.execute("SELECT string_agg(updated_at::text, ',' ORDER BY code) FROM smdr.account_code")[0][0].string == stamp)

            var renamed = Self.beta
            renamed.clientName = "Beta and Sons"
            renamed.validTo = LocalDate(year: 2026, month: 12, day: 31)
            let change = try store.apply(.codes(Self.lined([renamed])), replace: false, dryRun: false)
            #expect(change.changed.map(\.columns) == [["client_name", "valid_to"]] && change.unchanged == 0)
            #expect(try store.codes() == [Self.acme, renamed, Self.pattern])
        }
    }

    @Test func dryRunReportsButChangesNothing() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let store = RegisterStore(connection: connection)
            try store.apply(.codes(Self.lined([Self.acme])), replace: false, dryRun: false)
            var changed = Self.acme
            changed.description = "new"
            let plan = try store.apply(.codes(Self.lined([changed, Self.beta])), replace: true, dryRun: true)
            #expect(plan.added.map(\.key) == [["4200"]] && plan.changed.map(\.key) == [["4100"]] && plan.missing.isEmpty)
            #expect(try store.codes() == [Self.acme])
            let replacing = try store.apply(.codes(Self.lined([Self.beta])), replace: true, dryRun: true)
            #expect(replacing.missing == [["4100"]])
            #expect(try store.codes() == [Self.acme])
        }
    }

    @Test func replaceDeactivatesCodesAndRemovesOtherRows() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let store = RegisterStore(connection: connection)
            try store.apply(.codes(Self.lined([Self.acme, Self.beta])), replace: false, dryRun: false)
            let numbers = [
                ClientNumber(number: "+441632960100", match: .exact, code: "4100"),
                ClientNumber(number: "+4416329602", match: .prefix, code: "4200", blocked: true, note: "spam"),
            ]
            try store.apply(.numbers(Self.lined(numbers)), replace: false, dryRun: false)

            let codes = try store.apply(.codes(Self.lined([Self.beta])), replace: true, dryRun: false)
            #expect(codes.missing == [["4100"]] && codes.unchanged == 1)
            var inactive = Self.acme
            inactive.active = false
            #expect(try store.codes() == [inactive, Self.beta])
            // Deactivated once: replacing again deactivates nothing more.
            #expect(try store.apply(.codes(Self.lined([Self.beta])), replace: true, dryRun: false).isNoChange)

            let kept = try store.apply(.numbers(Self.lined([numbers[1]])), replace: true, dryRun: false)
            #expect(kept.missing == [["+441632960100"]])
            #expect(try store.numbers() == [numbers[1]])
        }
    }

    @Test func refusedRowsApplyNothing() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try Site(name: "hq", timeZone: "Europe/London").save(on: connection)
            let store = RegisterStore(connection: connection)
            try store.apply(.codes(Self.lined([Self.acme])), replace: false, dryRun: false)

            let numbers = try store.apply(
                .numbers(Self.lined([ClientNumber(number: "+441", match: .prefix, code: "4100"), ClientNumber(number: "+442", match: .exact, code: "4999")])),
                replace: false, dryRun: false
            )
            #expect(numbers.problems.map(\.line) == [3] && numbers.problems.map(\.column) == ["code"])
            #expect(numbers.problems.first?.message.hasPrefix("4999 is not a registered code; expected") == true)
            #expect(try store.numbers().isEmpty)

            let defaults = try store.apply(
                .defaults(Self.lined([CodeDefault(site: "hq", kind: .extension, value: "301", code: "4100"), CodeDefault(site: "nowhere", kind: .user, value: "Conf", code: "4100")])),
                replace: false, dryRun: false
            )
            #expect(defaults.problems == [RegisterProblem(line: 3, column: "site", message: "no site named nowhere; expected a site of smdr site list (hq)")])
            #expect(try store.defaults().isEmpty)
        }
    }

    @Test func timekeepersMayNotTakeAKeptTimekeepersExtensionButMaySwapInOneFile() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try Site(name: "demo", timeZone: "Europe/London").save(on: connection)
            let store = RegisterStore(connection: connection)
            let dana = Timekeeper(id: "TK1", name: "Dana Dee", classification: "PT", site: "demo", extension: "301", userName: "Dana Dee")
            let eli = Timekeeper(id: "TK2", name: "Eli Eve", classification: "AS", site: "demo", extension: "302", userName: "Eli Eve")
            try store.apply(.timekeepers(Self.lined([dana, eli])), replace: false, dryRun: false)

            let clash = Timekeeper(id: "TK3", name: "Fay", site: "demo", extension: "301")
            let refused = try store.apply(.timekeepers(Self.lined([clash])), replace: false, dryRun: false)
            #expect(refused.problems.map(\.column) == ["extension"])
            #expect(refused.problems.first?.message.contains("already the extension of timekeeper TK1") == true)
            // With --replace TK1 goes, so TK3 may have 301.
            #expect(try store.apply(.timekeepers(Self.lined([clash])), replace: true, dryRun: true).problems.isEmpty)

            var swappedDana = dana
            swappedDana.extension = "302"
            var swappedEli = eli
            swappedEli.extension = "301"
            let swap = try store.apply(.timekeepers(Self.lined([swappedDana, swappedEli])), replace: false, dryRun: false)
            #expect(swap.problems.isEmpty && swap.changed.count == 2)
            #expect(try store.timekeepers() == [swappedDana, swappedEli])
        }
    }

    @Test func loadRegisterReturnsEveryKindWithSiteNamesPlansAndRates() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            try Site(name: "demo", timeZone: "Europe/London").save(on: connection)
            let store = RegisterStore(connection: connection)
            try store.apply(.codes(Self.lined([Self.acme, Self.beta, Self.pattern])), replace: false, dryRun: false)
            try store.apply(.codes(Self.lined([Self.acme, Self.beta])), replace: true, dryRun: false)
            let number = ClientNumber(number: "+441632960100", match: .exact, code: "4100")
            let fallback = CodeDefault(site: "demo", kind: .ddi, value: "01632960999", code: "4200")
            let keeper = Timekeeper(id: "TK1", name: "Dana Dee", site: "demo", extension: "301")
            let anywhere = Timekeeper(id: "TK9", name: "Roaming", userName: "Roamer")
            try store.apply(.numbers(Self.lined([number])), replace: false, dryRun: false)
            try store.apply(.defaults(Self.lined([fallback])), replace: false, dryRun: false)
            try store.apply(.timekeepers(Self.lined([keeper, anywhere])), replace: false, dryRun: false)
            let standard = RatePlan(id: "STD", hourlyRate: ExactDecimal(units: 25_000, scale: 2), currency: "GBP")
            let partner = RatePlan(
                id: "PARTNER", hourlyRate: ExactDecimal(units: 333_330, scale: 3), currency: "GBP", incrementSeconds: 60, minimumSeconds: 720,
                graceSeconds: 30, rounding: .nearest, scope: .clientDay, billHoldTime: true, carrierMarkupPercent: ExactDecimal(units: 155, scale: 1)
            )
            try store.apply(.plans(Self.lined([standard, partner])), replace: false, dryRun: false)
            let siteDefault = RateAssignment(planID: "STD", site: "demo")
            let partnerForAcme = RateAssignment(
                planID: "PARTNER", clientID: "ACME", matterID: "ACME-001", timekeeperID: "TK1",
                effectiveFrom: LocalDateTime(year: 2026, month: 3, day: 29, hour: 1, minute: 30),
                effectiveTo: LocalDateTime(year: 2026, month: 4, day: 1, hour: 0, minute: 0)
            )
            let imported = try store.apply(.rates(Self.lined([siteDefault, partnerForAcme])), replace: false, dryRun: false)
            #expect(imported.problems.isEmpty && imported.added.count == 2)

            let register = try store.loadRegister()
            var inactive = Self.pattern
            inactive.active = false
            #expect(register.codes == [Self.acme, Self.beta, inactive])
            #expect(register.numbers == [number] && register.defaults == [fallback] && register.timekeepers == [keeper, anywhere])
            // Plans by id, decimals at the scale imported; rates with the site's name, every-site ones first.
            #expect(register.plans == [partner, standard])
            #expect(register.rates == [partnerForAcme, siteDefault])
        }
    }

    @Test func tenThousandNumbersImportInOneGo() async throws {
        try await TestDatabase.withDatabase { database in
            let connection = try database.connect()
            let store = RegisterStore(connection: connection)
            try store.apply(.codes(Self.lined([Self.acme])), replace: false, dryRun: false)
            let numbers = (0..<10_000).map { ClientNumber(number: "+4420" + String(10_000_000 + $0), match: .exact, code: "4100") }
            let clock = ContinuousClock()
            let started = clock.now
            let added = try store.apply(.numbers(Self.lined(numbers)), replace: false, dryRun: false)
            let elapsed = clock.now - started
            #expect(added.added.count == 10_000)
            #expect(try store.apply(.numbers(Self.lined(numbers)), replace: false, dryRun: false).unchanged == 10_000)
            #expect(try Self.count(connection, "SELECT count(*) FROM smdr.client_number") == 10_000)
            #expect(elapsed < .seconds(20), "10k numbers took \(elapsed)")
        }
    }

    /// smdr_billing writes the register, smdr_rater reads it, smdr_analyst sees only views.
    @Test func rolesGetTheRegisterPrivileges() async throws {
        try await TestDatabase.withDatabase { database in
            let tables = ["client", "matter", "account_code", "client_number", "code_default", "timekeeper"]
            let rows = try database.connect().execute(
                """
                SELECT string_agg(DISTINCT r || ':' || p || '=' || has_table_privilege(r, 'smdr.' || t, p), ',')
                FROM unnest($1::text[]) AS t, unnest(ARRAY['smdr_billing', 'smdr_rater', 'smdr_analyst']) AS r,
                     unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p
                """,
                [.text("{" + tables.joined(separator: ",") + "}")]
            )
            let granted = Set((rows[0][0].string ?? "").split(separator: ",").map(String.init))
            let expected: Set<String> = Set(
                ["SELECT", "INSERT", "UPDATE", "DELETE"].flatMap { privilege in
                    ["smdr_billing:\(privilege)=true", "smdr_rater:\(privilege)=\(privilege == "SELECT")", "smdr_analyst:\(privilege)=false"]
                }
            )
            // One value per role and privilege: the same on all six tables.
            #expect(granted == expected)
        }
    }
}
