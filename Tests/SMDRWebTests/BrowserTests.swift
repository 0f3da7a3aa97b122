import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

/// The whole app in a real browser (issue 13 §3): the `smdr` binary serves it over a real socket
/// (`smdr web --listen 127.0.0.1:0`) on a real database, and `scripts/browser-test.py` drives
/// headless Chromium through it: billing signs in, assigns a queue call with one click, finds its
/// charge on the client's statement, imports a register CSV through its preview; a viewer is
/// refused. The test then reads the database to see that each change really happened (and the
/// viewer's did not).
///
/// A missing Chromium, chromedriver or selenium fails the test, saying what to install (`make
/// test` installs them through `make deps`); `SMDR_SKIP_BROWSER=1` skips it, visibly. Screenshots
/// go to `$SMDR_SCREENSHOTS` when set (`make screenshots`), else to a temporary directory.
@Suite(.serialized) struct BrowserTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var script: String { Self.root.appendingPathComponent("scripts/browser-test.py").path }

    /// The users the browser signs in as, added with `smdr user add` (password on stdin).
    static let users = [("billing", "billing"), ("viewer", "viewer"), ("admin", "admin")]
    static func password(_ user: String) -> String { "\(user)-browser-password" }

    /// A second queue call, from a hostile caller name: the viewer tries to assign it (and must
    /// not), and the queue must show the name as text (a script that ran would be a CSP error in
    /// the console, which fails the walk).
    static let hostileCall = "2026/04/02 09:00:00,00:03:00,3,01632960888,I,302,302,,0,1000005,0,E302,Eli Eve,T9001,<script>alert(1)</script>,0,0,,,,,,,,,,,,,"

    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["SMDR_SKIP_BROWSER"] != "1", "SMDR_SKIP_BROWSER=1: the browser test is skipped"),
        .timeLimit(.minutes(5))
    )
    func billingStaffWorkThroughTheAppInChromium() async throws {
        try await RatingFirm.withContractFirm { firm in
            // Call 1000004 (TK1 Dana Dee, in from 01632 960777) is in the queue; TK1 bills 4100 (ACME),
            // so 4100 is its suggestion. Assigned, it costs 300 s → 0.1 h × 400.00 (PARTNER) = 40.00 GBP.
            try await firm.ingest([Self.hostileCall])
            try await firm.succeed("rate")
            let connection = try firm.connect()
            let suggestions = try RatingFirm.strings(
                connection, "SELECT array_to_string(suggestions, ',') FROM smdr.unassigned_calls WHERE call_id = 1000004")
            try #require(suggestions.first?.split(separator: ",").contains("4100") == true, "queue: \(suggestions)")
            let hostileStart = try #require(
                RatingFirm.strings(connection, "SELECT to_char(call_start_local, 'YYYY-MM-DD HH24:MI:SS') FROM smdr.unassigned_calls WHERE call_id = 1000005").first)

            for (name, role) in Self.users {
                try await Self.addUser(firm, name: name, role: role)
            }
            let server = try firm.start("web", "--listen", "127.0.0.1:0")
            defer { if server.isRunning { server.signal(SIGKILL) } }
            let url = try await Self.boundURL(of: server)

            try await Self.withScreenshotDirectory { directory in
                let result = try await TestProcess.run(
                    "/usr/bin/python3",
                    [
                        Self.script, "--url", url, "--screenshots", directory,
                        "--call-id", "1000004", "--code", "4100", "--statement", "ACME/2026-04", "--expect", "01632960777", "--expect", "40.00",
                        "--viewer-call", "demo|1000005|\(hostileStart)", "--import-code", "BT-0001", "--import-client", "BROWSERCO",
                    ],
                    environment: [
                        "SMDR_BROWSER_BILLING": "billing:" + Self.password("billing"),
                        "SMDR_BROWSER_VIEWER": "viewer:" + Self.password("viewer"),
                        "SMDR_BROWSER_ADMIN": "admin:" + Self.password("admin"),
                    ],
                    timeout: .seconds(240)
                )
                let output = result.standardOutput + result.standardError
                try #require(result.status == 0, "browser-test.py exited \(result.status):\n\(output)\nserver:\n\(server.standardError)")
                let shots = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".png") }.sorted()
                #expect(shots.count >= 12, "\(shots)")
                #expect(shots.contains { $0.hasSuffix("-assigned.png") } && shots.contains { $0.hasSuffix("-statement.png") }, "\(shots)")
            }

            // What the clicks did, in the database.
            let assigned = try RatingFirm.strings(
                connection, "SELECT code || ' ' || assigned_by FROM smdr.manual_assignment WHERE call_id = 1000004")
            #expect(assigned == ["4100 billing (web)"])
            let charges = try RatingFirm.strings(
                connection,
                "SELECT client_id || ' ' || rule || ' ' || amount || ' ' || currency FROM smdr.charges WHERE 1000004 = ANY (call_ids) AND kind = 'fee'")
            #expect(charges == ["ACME manual 40.00 GBP"])
            let imported = try RatingFirm.strings(
                connection, "SELECT client_id || ' ' || active FROM smdr.account_code WHERE code = 'BT-0001'")
            #expect(imported == ["BROWSERCO true"])
            // The viewer changed nothing.
            #expect(try RatingFirm.strings(connection, "SELECT count(*) FROM smdr.manual_assignment WHERE call_id = 1000005") == ["0"])
            #expect(try RatingFirm.strings(connection, "SELECT count(*) FROM smdr.account_code WHERE code = 'VIEWER-1'") == ["0"])
            #expect(try RatingFirm.strings(connection, "SELECT count(*) FROM smdr.manual_assignment") == ["1"])

            server.signal(SIGTERM)
            #expect(try await server.waitForExit(timeout: .seconds(30)) == 0, "smdr web: \(server.standardError)")
        }
    }

    /// `smdr user add NAME --role ROLE` with the password on stdin (one line), as a script would.
    static func addUser(_ firm: RatingFirm, name: String, role: String) async throws {
        let input = firm.directory + "/password-\(name)"
        try (Self.password(name) + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let result = try await TestProcess.run(
            TestProcess.smdrExecutable, ["user", "add", name, "--role", role, "--database", firm.database.conninfo],
            environment: ["SMDR_WEB_BCRYPT_COST": "10"], standardInputPath: input
        )
        try #require(result.status == 0, "smdr user add \(name): \(result.standardError)")
    }

    /// The URL of `smdr web: listening on http://HOST:PORT` (the port it bound), from either output.
    static func boundURL(of server: TestProcess) async throws -> String {
        let marker = "smdr web: listening on "
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            for output in [server.standardError, server.standardOutput] {
                if let range = output.range(of: marker) {
                    let rest = output[range.upperBound...]
                    let url = rest.prefix { !$0.isWhitespace }
                    if rest.contains("\n") { return String(url) }
                }
            }
            try #require(server.isRunning, "smdr web exited early: \(server.standardError)")
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "smdr web printed no 'listening on' line within 30 s: \(server.standardError)")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `$SMDR_SCREENSHOTS` (created, emptied of earlier PNGs) or a temporary directory.
    static func withScreenshotDirectory(_ body: (String) async throws -> Void) async throws {
        if let directory = ProcessInfo.processInfo.environment["SMDR_SCREENSHOTS"], !directory.isEmpty {
            let manager = FileManager.default
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for old in try manager.contentsOfDirectory(atPath: directory) where old.hasSuffix(".png") {
                try manager.removeItem(atPath: directory + "/" + old)
            }
            try await body(directory)
        } else {
            try await withTemporaryDirectory(body)
        }
    }
}
