import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `smdr serve` as a real process, fed by `smdr replay` over loopback, loading into a real
/// PostgreSQL. Each test bounds its own time and stops its processes.
@Suite(.timeLimit(.minutes(10)))
struct ServeTests {
    @Test func loadsEveryLineExactlyOnceAcrossResendsAndDrainsOnSIGTERM() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let capture = try harness.generate(lines: 20_000, seed: 21)
            let server = try await harness.start()

            let first = try await harness.replay(capture.path, port: server.listenPort, arguments: ["--connections", "3", "--split-writes"])
            #expect(first.status == 0, "\(first.standardError)")
            try await harness.waitForRawRecords(20_000)

            // The PBX sends its buffer again (a reconnect after a network blip): nothing new is stored.
            let again = try await harness.replay(capture.path, port: server.listenPort)
            #expect(again.status == 0)
            let metrics = try await Self.waitForMetric(
                #"smdr_lines_loaded_total{site="hq",result="duplicate"} 20000"#, harness: harness, port: server.adminPort
            )
            #expect(metrics.contains(#"smdr_lines_loaded_total{site="hq",result="new"} 20000"#))
            #expect(metrics.contains(#"smdr_lines_received_total{site="hq"} 40000"#))
            #expect(try harness.admin("/healthz", port: server.adminPort).contains("database: ok"))

            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit(timeout: .seconds(60)) == 0)
            let counts = try harness.counts()
            #expect(counts.raw == 20_000 && counts.distinct == 20_000 && counts.legs == 20_000)
        }
    }

    @Test func refusesAPeerThatNoSiteAllows() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite(allow: ["192.0.2.0/24"])
            let capture = try harness.generate(lines: 10, seed: 3)
            let server = try await harness.start()
            // The connection is accepted by the kernel and closed at once; the sender may not notice.
            try await harness.replay(capture.path, port: server.listenPort)
            let metrics = try await Self.waitForMetric(
                #"smdr_connections_refused_total{reason="unknown_peer"}"#, harness: harness, port: server.adminPort
            )
            #expect(metrics.contains(#"smdr_connections_refused_total{reason="unknown_peer"} 1"#))
            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit() == 0)
            #expect(try harness.counts().raw == 0)
        }
    }

    /// kill -9 at random points while a capture streams in; after each restart the PBX sends
    /// its buffer again. Every line any journal accepted ends up in PostgreSQL exactly once.
    @Test func survivesKillDashNineAtRandomPoints() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database, extraArguments: ["--journal-archive"])
            try harness.addSite()
            let capture = try harness.generate(lines: 200_000, seed: 99)
            var random = SystemRandomNumberGenerator()
            for round in 0..<3 {
                let server = try await harness.start()
                let replay = try TestProcess(
                    TestProcess.smdrExecutable,
                    ["replay", capture.path, "--to", "127.0.0.1:\(server.listenPort)", "--connections", "4"]
                )
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500, using: &random)))
                server.process.signal(SIGKILL)
                _ = try await server.process.waitForExit()
                _ = try await replay.waitForExit(timeout: .seconds(60))
                let afterCrash = try harness.counts()
                #expect(afterCrash.raw == afterCrash.distinct && afterCrash.legs == afterCrash.raw, "round \(round)")
            }
            // Last round: the whole capture arrives, then a clean stop.
            let server = try await harness.start()
            let last = try await harness.replay(capture.path, port: server.listenPort, arguments: ["--connections", "4"])
            #expect(last.status == 0)
            try await harness.waitForRawRecords(200_000, timeout: .seconds(480))
            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit(timeout: .seconds(120)) == 0)

            let counts = try harness.counts()
            #expect(counts.raw == 200_000)
            #expect(counts.distinct == 200_000)
            #expect(counts.legs == 200_000)
            // Every journaled line (the loaded segments were archived) is a stored raw record.
            let journaled = try JournalFiles.lines(directory: harness.dataDirectory + "/journal/hq")
            let stored = try Self.storedLines(database)
            #expect(!journaled.isEmpty)
            #expect(journaled.isSubset(of: stored))
            #expect(stored == Set(capture.lines))
        }
    }

    /// PostgreSQL crashes mid-stream and is started again 3 s later: nothing lost, nothing twice.
    @Test func keepsAcceptingWhilePostgreSQLIsDownAndCatchesUp() async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("smdr-pgdown-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]
        )
        // This test's own embedded cluster: no PG* variables, so smdr runs its default database.
        var environment: [String: String?] = ["SMDR_DATABASE": nil, "SMDR_DATA": dataDirectory]
        for name in ["PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE", "PGPORT", "PGUSER", "PGPASSWORD"] {
            environment.updateValue(nil, forKey: name)  // a nil value removes the variable in the child
        }
        let smdr = TestProcess.smdrExecutable
        defer {
            _ = try? TestProcess.runBlocking(smdr, ["db", "stop"], environment: environment)
            try? FileManager.default.removeItem(atPath: dataDirectory)
        }
        let added = try await TestProcess.run(
            smdr, ["site", "add", "hq", "--time-zone", "America/New_York", "--allow", "127.0.0.1"], environment: environment
        )
        try #require(added.status == 0, "\(added.standardError)")

        var generator = SMDRSimulation.StreamGenerator(seed: 5, width: 38)
        var bytes: [UInt8] = []
        for _ in 0..<12_000 { bytes += generator.nextLine() + [0x0D, 0x0A] }
        let capture = dataDirectory + "/capture.smdr"
        try Data(bytes).write(to: URL(fileURLWithPath: capture))

        let server = try TestProcess(
            smdr, ["serve", "--listen", "127.0.0.1:0", "--admin", "off", "--load-retry-max-delay", "1s"],
            environment: environment
        )
        let output = try await server.waitForOutput(containing: "smdr serve ready", timeout: .seconds(90))
        let ready = try #require(output.split(separator: "\n").last { $0.contains("smdr serve ready") })
        let port = try #require(ready.split(separator: "smdr.listen=").last?.prefix { $0 != " " }.split(separator: ":").last.flatMap { Int($0) })

        // 12,000 lines at 2,000 lines/s: PostgreSQL is down from about 2 s to 5 s.
        let replay = try TestProcess(smdr, ["replay", capture, "--to", "127.0.0.1:\(port)", "--rate", "2000"], environment: environment)
        try await Task.sleep(for: .seconds(2))
        // A crash, not a clean stop: commits not yet flushed to WAL are lost, so the loader must
        // load those lines again from the journal, and the raw-record key keep them once.
        let pgCtl = try EmbeddedCluster.binDirectory() + "/pg_ctl"
        let crash = ["stop", "-D", dataDirectory + "/postgres", "-m", "immediate", "-w"]
        let stopped = getuid() == 0
            ? try await TestProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgCtl] + crash)
            : try await TestProcess.run(pgCtl, crash)
        try #require(stopped.status == 0, "\(stopped.standardError)")
        try await Task.sleep(for: .seconds(3))
        let started = try await TestProcess.run(smdr, ["db", "start"], environment: environment)
        try #require(started.status == 0, "\(started.standardError)")
        #expect(try await replay.waitForExit(timeout: .seconds(60)) == 0, "\(replay.standardError)")

        // Wait for the loader to catch up, then stop cleanly.
        let deadline = ContinuousClock.now + .seconds(120)
        var counts = ""
        while ContinuousClock.now < deadline {
            let result = try await TestProcess.run(
                smdr,
                ["db", "psql", "--", "-tA", "-c",
                 "SELECT count(*) || ' ' || count(DISTINCT sha256) || ' ' || (SELECT count(*) FROM smdr.call_leg) FROM smdr.raw_record"],
                environment: environment
            )
            counts = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            if counts == "12000 12000 12000" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(counts == "12000 12000 12000")
        #expect(server.standardError.contains("retrying"))
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(60)) == 0)
    }

    // MARK: - Helpers

    private static func waitForMetric(_ text: String, harness: ServeHarness, port: Int) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(120)
        var metrics = ""
        while ContinuousClock.now < deadline {
            metrics = try harness.admin("/metrics", port: port)
            if metrics.contains(text) { return metrics }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("metric '\(text)' not seen; /metrics:\n\(metrics)")
        return metrics
    }

    private static func storedLines(_ database: TestDatabase) throws -> Set<[UInt8]> {
        let connection = try database.connect()
        var lines = Set<[UInt8]>()
        for row in try connection.execute("SELECT encode(line, 'hex') FROM smdr.raw_record") {
            lines.insert(Self.bytes(hex: row[0].string ?? ""))
        }
        return lines
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let value = character <= 0x39 ? character - 0x30 : character - 0x61 + 10
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}
