import Foundation
package import SMDRPostgres
package import Testing

/// A firm on a real database, driven only through the `smdr` binary (register import → ingest →
/// rate) and read back with SQL through the contract views (`smdr.charges`), as billing staff and
/// analysts would: the end-to-end harness of the rating tests (issue 11 §5).
///
/// Every firm has site `demo` (Europe/London, +44, national prefix 0, international prefix 00) and
/// the contract's two timekeepers, TK1 Dana Dee (extension 301) and TK2 Eli Eve (302).
package struct RatingFirm {
    package typealias Output = (status: Int32, standardOutput: String, standardError: String)

    package let database: TestDatabase
    /// Scratch directory for the CSV files and captures handed to the binary.
    package let directory: String

    package static let codesHeader = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to"
    package static let plansHeader = "plan_id,hourly_rate,currency,increment_seconds,minimum_seconds,grace_seconds,rounding,scope,bill_hold_time,carrier_markup_percent"
    package static let ratesHeader = "plan_id,client_id,matter_id,timekeeper_id,site,effective_from,effective_to"
    package static let timekeepers = [
        "timekeeper_id,name,classification,site,extension,user_name",
        "TK1,Dana Dee,PT,demo,301,Dana Dee",
        "TK2,Eli Eve,AS,demo,302,Eli Eve",
    ]

    /// A fresh database and scratch directory with site `demo` and the timekeepers registered.
    package static func with(_ body: (RatingFirm) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { database in
            try await withTemporaryDirectory { directory in
                let firm = RatingFirm(database: database, directory: directory)
                try await firm.succeed(
                    "site", "add", "demo", "--time-zone", "Europe/London", "--country-code", "44", "--national-prefix", "0",
                    "--international-prefix", "00"
                )
                try await firm.importRegister("timekeepers", Self.timekeepers)
                try await body(firm)
            }
        }
    }

    /// The contract's example firm (`Fixtures/rating/contract`, as `shared/contract/smoke.sh`
    /// walks it): the register imported, the capture ingested and rated.
    package static func withContractFirm(_ body: (RatingFirm) async throws -> Void) async throws {
        try await Self.with { firm in
            let folder = Fixtures.root + "/rating/contract/"
            for kind in ["codes", "numbers", "timekeepers", "plans", "rates"] {
                try await firm.succeed("register", "import", kind, folder + kind + ".csv")
            }
            try await firm.succeed("ingest", "--site", "demo", folder + "capture.smdr")
            try await firm.succeed("rate")
            try await body(firm)
        }
    }

    /// Runs `smdr ARGUMENTS --database …` to completion; `environment` as ``TestProcess`` takes it
    /// (entries added to the test's environment, `nil` removes one).
    package func run(_ arguments: [String], environment: [String: String?] = [:]) async throws -> Output {
        try await TestProcess.run(
            TestProcess.smdrExecutable, arguments + ["--database", self.database.conninfo], environment: environment
        )
    }

    package func run(_ arguments: String...) async throws -> Output { try await self.run(arguments) }

    /// Starts `smdr ARGUMENTS --database …` without waiting for it.
    package func start(_ arguments: String...) throws -> TestProcess {
        try TestProcess(TestProcess.smdrExecutable, arguments + ["--database", self.database.conninfo])
    }

    /// Runs the command and stops the test (with its standard error) unless it exits 0: later
    /// steps of a case only make sense after this one.
    @discardableResult
    package func succeed(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> Output {
        try await self.succeed(arguments, sourceLocation: sourceLocation)
    }

    @discardableResult
    package func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Output {
        let output = try await self.run(arguments)
        try #require(
            output.status == 0, "smdr \(arguments.joined(separator: " ")) exited \(output.status): \(output.standardError)",
            sourceLocation: sourceLocation
        )
        return output
    }

    /// Writes `lines` (LF-terminated) to a file in the scratch directory and returns its path.
    package func write(_ name: String, _ lines: [String]) throws -> String {
        let path = self.directory + "/" + name
        try lines.map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `smdr register import KIND FILE` with a CSV file holding `rows` (header first).
    package func importRegister(_ kind: String, _ rows: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let path = try self.write("\(kind)-\(UUID().uuidString.prefix(8)).csv", rows)
        try await self.succeed("register", "import", kind, path, sourceLocation: sourceLocation)
    }

    /// `smdr ingest --site demo FILE` with a capture of `lines`.
    package func ingest(_ lines: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let path = try self.write("capture-\(UUID().uuidString.prefix(8)).smdr", lines)
        try await self.succeed("ingest", "--site", "demo", path, sourceLocation: sourceLocation)
    }

    /// A new connection to the firm's database (blocking; fine in a test body).
    package func connect() throws -> PostgresConnection { try self.database.connect() }

    /// One text column of a query's rows.
    package static func strings(_ connection: PostgresConnection, _ sql: String, _ parameters: [PostgresValue] = []) throws -> [String] {
        try connection.execute(sql, parameters).map { $0[0].description }
    }

    /// The client's billed fees (billed_seconds > 0), one line each, in a stable order:
    /// `TK date scope calls/legs raw→billed s hours h × rate = amount currency plan rule`.
    /// Hours and rate are shown without trailing zeros; the amount exactly as stored (its scale is
    /// the currency's minor unit: `60.00` GBP, `101` JPY).
    package static func fees(_ connection: PostgresConnection, client: String) throws -> [String] {
        try Self.strings(
            connection,
            """
            SELECT format('%s %s %s %s/%s %s→%s s %s h × %s = %s %s %s %s', coalesce(timekeeper_id, '-'), charge_date, scope,
                          calls, legs, raw_seconds, billed_seconds, trim_scale(billed_hours), trim_scale(hourly_rate), amount,
                          currency, plan_id, rule)
            FROM smdr.charges WHERE client_id = $1 AND kind = 'fee' AND billed_seconds > 0
            ORDER BY charge_date, timekeeper_id, raw_seconds, amount
            """,
            [.text(client)]
        )
    }

    /// The client's expenses (carrier cost passed on): `TK date amount currency plan`.
    package static func expenses(_ connection: PostgresConnection, client: String) throws -> [String] {
        try Self.strings(
            connection,
            """
            SELECT format('%s %s %s %s %s', coalesce(timekeeper_id, '-'), charge_date, amount, currency, plan_id)
            FROM smdr.charges WHERE client_id = $1 AND kind = 'expense' ORDER BY charge_date, amount
            """,
            [.text(client)]
        )
    }

    /// `client=total` of the current fees, by client: `ACME=65.00,BETA=50.00`.
    package static func feeTotals(_ connection: PostgresConnection) throws -> String {
        try Self.strings(
            connection,
            "SELECT coalesce(string_agg(client_id || '=' || total, ',' ORDER BY client_id), '') FROM (SELECT client_id, sum(amount) AS total FROM smdr.charges WHERE kind = 'fee' GROUP BY client_id) AS t"
        )[0]
    }

    /// `charge_id:rating_run:amount` of every current charge of `client`, to see which were rewritten.
    package static func identities(_ connection: PostgresConnection, client: String) throws -> [String] {
        try Self.strings(
            connection,
            "SELECT charge_id || ':' || rating_run || ':' || amount FROM smdr.charges WHERE client_id = $1 ORDER BY charge_date, raw_seconds, charge_id",
            [.text(client)]
        )
    }

    package static func runCount(_ connection: PostgresConnection) throws -> Int {
        try connection.execute("SELECT count(*) FROM smdr.rating_run")[0][0].int ?? -1
    }
}

extension String {
    /// The lines of the text that mention `word`.
    package func lines(mentioning word: String) -> [Substring] {
        self.split(separator: "\n").filter { $0.contains(word) }
    }
}

/// A line contains `first`, then (further on) `second`: a before → after pair in a report.
package func line(_ line: Substring, shows first: String, then second: String) -> Bool {
    guard let before = line.range(of: first) else { return false }
    return line[before.upperBound...].contains(second)
}
