import Foundation
import SMDRTestSupport
import Testing

/// The data directory as an operator meets it, with the real `smdr` binary and its embedded
/// cluster (no `PG*` or `SMDR_*` database settings in the child's environment).
@Suite(.timeLimit(.minutes(5)))
struct DataDirectoryTests {
    /// A scratch directory any user can traverse (the embedded server runs as `postgres` under root).
    private static func scratch() throws -> String {
        let path = "/tmp/smdr-data-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path + "/home", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/elsewhere", withIntermediateDirectories: true)
        chmod(path, 0o755)
        return path
    }

    private static func environment(home: String) -> [String: String?] {
        [
            "PGHOST": nil, "PGHOSTADDR": nil, "PGSERVICE": nil, "PGDATABASE": nil, "SMDR_DATABASE": nil,
            "SMDR_DATA": nil, "SMDR_CONFIG": nil, "XDG_DATA_HOME": nil, "INVOCATION_ID": nil, "HOME": home,
        ]
    }

    private static func smdr(_ arguments: [String], in scratch: String) async throws -> (status: Int32, standardOutput: String, standardError: String) {
        try await TestProcess.run(TestProcess.smdrExecutable, arguments, environment: Self.environment(home: scratch + "/home"))
    }

    /// `site list`, `db status` and `db psql` on a data directory without a cluster say so and
    /// exit 3, and create nothing: not the named directory, not `./.smdr`, not the default.
    @Test func readOnlyCommandsNeverCreateACluster() async throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let data = scratch + "/data"
        for command in [["site", "list"], ["db", "status"], ["db", "psql", "--data-dir", data, "--", "-c", "SELECT 1"]] {
            let arguments = command.contains("--data-dir") ? command : command + ["--data-dir", data]
            let result = try await Self.smdr(arguments, in: scratch)
            #expect(result.status == 3, "smdr \(arguments.joined(separator: " ")): \(result.standardError)")
            #expect(result.standardError.contains("no database yet"))
            #expect(result.standardError.contains("smdr migrate --data-dir \(data)"))
            #expect(!FileManager.default.fileExists(atPath: data))
        }

        // No --data-dir, run from another folder: the absolute default, nothing in the current one.
        let isSystem = geteuid() == 0 || FileManager.default.fileExists(atPath: "/var/lib/smdr")
        let expected = isSystem ? "/var/lib/smdr" : scratch + "/home/.local/share/smdr"
        let child = try TestProcess(
            "/bin/sh", ["-c", "cd '\(scratch)/elsewhere' && exec '\(TestProcess.smdrExecutable)' site list"],
            environment: Self.environment(home: scratch + "/home")
        )
        let status = try await child.waitForExit()
        #expect(!FileManager.default.fileExists(atPath: scratch + "/elsewhere/.smdr"))
        if !FileManager.default.fileExists(atPath: expected + "/postgres/PG_VERSION") {
            #expect(status == 3)
            #expect(child.standardError.contains("no database yet"))
            #expect(child.standardError.contains("\(expected)/postgres"))
            #expect(isSystem || !FileManager.default.fileExists(atPath: expected))
        }
    }

    /// With a cluster: `serve` says on exit that its PostgreSQL keeps running and how to stop it;
    /// once stopped, `site list` says so (exit 3) and does not start it again.
    @Test func serveNamesTheRunningClusterOnExitAndSiteListDoesNotStartIt() async throws {
        let scratch = try Self.scratch()
        let data = scratch + "/data"
        defer {
            _ = try? TestProcess.runBlocking(TestProcess.smdrExecutable, ["db", "stop", "--data-dir", data], environment: Self.environment(home: scratch))
            try? FileManager.default.removeItem(atPath: scratch)
        }
        let added = try await Self.smdr(
            ["site", "add", "hq", "--time-zone", "Europe/London", "--allow", "127.0.0.1", "--data-dir", data], in: scratch
        )
        #expect(added.status == 0, "site add: \(added.standardError)")

        let serve = try TestProcess(
            TestProcess.smdrExecutable,
            ["serve", "--data-dir", data, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"],
            environment: Self.environment(home: scratch + "/home")
        )
        try await serve.waitForOutput(containing: "smdr serve ready", timeout: .seconds(60))
        serve.signal(SIGTERM)
        #expect(try await serve.waitForExit() == 0)
        #expect(serve.standardError.contains("the embedded PostgreSQL server keeps running in \(data)/postgres"))
        #expect(serve.standardError.contains("stop it with: smdr db stop --data-dir '\(data)'"))
        #expect(try await Self.smdr(["db", "status", "--data-dir", data], in: scratch).status == 0)  // it does run

        #expect(try await Self.smdr(["db", "stop", "--data-dir", data], in: scratch).status == 0)
        let list = try await Self.smdr(["site", "list", "--data-dir", data], in: scratch)
        #expect(list.status == 3)
        #expect(list.standardError.contains("is stopped; start it with `smdr db start --data-dir \(data)`"))
        let status = try await Self.smdr(["db", "status", "--data-dir", data], in: scratch)
        #expect(status.standardOutput.contains("embedded cluster: stopped"))
    }
}
