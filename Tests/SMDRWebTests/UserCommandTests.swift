import Foundation
import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// `smdr user`: the real binary against a real database; what it stores is checked in the
/// database and by signing in through the app.
@Suite struct UserCommandTests {
    /// Runs `smdr user ARGUMENTS --database …` with `input` (when given) as standard input.
    static func user(_ database: TestDatabase, _ arguments: [String], input: String? = nil) async throws -> (status: Int32, standardOutput: String, standardError: String) {
        var inputPath: String?
        if let input {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-user-input-\(UUID().uuidString)").path
            try input.write(toFile: path, atomically: true, encoding: .utf8)
            inputPath = path
        }
        defer { if let inputPath { try? FileManager.default.removeItem(atPath: inputPath) } }
        // Cost 10 keeps the test fast; the default (12) is for people.
        return try await TestProcess.run(
            TestProcess.smdrExecutable, ["user"] + arguments + ["--database", database.conninfo],
            environment: ["SMDR_WEB_BCRYPT_COST": "10"], standardInputPath: inputPath
        )
    }

    @Test func addReadsOneLineFromStandardInputAndTheUserCanSignIn() async throws {
        try await TestDatabase.withDatabase { database in
            let added = try await Self.user(database, ["add", "erin", "--role", "billing"], input: "erin-password-1\n")
            #expect(added.status == 0, "\(added.standardError)")
            #expect(added.standardOutput == "added erin (billing)\n")
            #expect(!added.standardOutput.contains("erin-password-1") && !added.standardError.contains("erin-password-1"))
            let listed = try await Self.user(database, ["list"])
            #expect(listed.status == 0)
            #expect(listed.standardOutput.hasPrefix("erin\tbilling\tactive\t"), "\(listed.standardOutput)")
            let connection = try database.connect()
            let credentials = try #require(try WebUserStore.credentials(name: "erin", on: connection))
            #expect(credentials.passwordHash.hasPrefix("$2b$10$"))
            #expect(try await PasswordHasher.verify("erin-password-1", hash: credentials.passwordHash))

            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("erin", password: "erin-password-1")
                    #expect(try await browser.get("/queue").status == .ok)
                }
            }
        }
    }

    @Test func badNamesRolesAndPasswordsExit2AndAddNobody() async throws {
        try await TestDatabase.withDatabase { database in
            let cases: [([String], String?, String)] = [
                (["add", "frank", "--role", "root"], "frank-password\n", "'root' is not a role"),
                (["add", "frank smith", "--role", "viewer"], "frank-password\n", "has characters other than"),
                (["add", "frank", "--role", "viewer"], "short\n", "shorter than 10 characters"),
                (["add", "frank", "--role", "viewer"], "", "no password on standard input"),
                (["passwd", "nobody"], "nobody-password\n", "no user named \"nobody\""),
                (["disable", "nobody"], nil, "no user named \"nobody\""),
                (["role", "nobody", "admin"], nil, "no user named \"nobody\""),
            ]
            for (arguments, input, message) in cases {
                let output = try await Self.user(database, arguments, input: input)
                #expect(output.status == 2, "\(arguments): \(output.standardError)")
                #expect(output.standardError.contains(message), "\(arguments): \(output.standardError)")
            }
            let connection = try database.connect()
            #expect(try connection.execute("SELECT count(*) FROM smdr.web_user")[0][0].int == 0)
        }
    }

    @Test func passwdRoleDisableAndEnableChangeTheUserAndTheLastAdminStays() async throws {
        try await TestDatabase.withDatabase { database in
            #expect(try await Self.user(database, ["add", "gina", "--role", "admin"], input: "gina-password-1\n").status == 0)
            #expect(try await Self.user(database, ["add", "hal", "--role", "viewer"], input: "hal-password-1\n").status == 0)
            let taken = try await Self.user(database, ["add", "hal", "--role", "viewer"], input: "hal-password-2\n")
            #expect(taken.status == 2)
            #expect(taken.standardError.contains("a user named \"hal\" exists already"))

            let last = try await Self.user(database, ["disable", "gina"])
            #expect(last.status == 2)
            #expect(last.standardError.contains("is the last active admin"))
            let demote = try await Self.user(database, ["role", "gina", "viewer"])
            #expect(demote.status == 2)

            let connection = try database.connect()
            #expect(try await Self.user(database, ["passwd", "hal"], input: "hal-password-2\n").status == 0)
            let hash = try #require(try WebUserStore.credentials(name: "hal", on: connection)?.passwordHash)
            #expect(try await PasswordHasher.verify("hal-password-2", hash: hash))
            #expect(try await Self.user(database, ["role", "hal", "BILLING"]).status == 0)
            #expect(try await Self.user(database, ["disable", "hal"]).status == 0)
            var hal = try #require(try WebUserStore.credentials(name: "hal", on: connection))
            #expect(hal.role == "billing" && !hal.active)
            #expect(try await Self.user(database, ["enable", "hal"]).status == 0)
            hal = try #require(try WebUserStore.credentials(name: "hal", on: connection))
            #expect(hal.active)
            let listed = try await Self.user(database, ["list"])
            #expect(listed.standardOutput.split(separator: "\n").map { $0.split(separator: "\t").prefix(3).joined(separator: " ") } == [
                "gina admin active", "hal billing active",
            ])
        }
    }
}
