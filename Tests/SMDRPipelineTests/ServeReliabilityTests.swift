import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

/// `smdr serve` against a PostgreSQL that crashes, hangs or is not there, and sites that change
/// while it runs: real processes, the real embedded cluster, loopback sockets.
@Suite(.serialized)
struct ServeReliabilityTests {
    /// Issue 8, 1.1: crashes (immediate stops) while the health probe hammers the pool must not
    /// leave a gap the checkpoint jumps over, nor release journal segments whose rows were lost.
    @Test func repeatedCrashesWithProbesRunningLoseAndDoubleNothing() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.addSite()
        let lines = 16_000
        let capture = try harness.capture(lines: lines, seed: 81)
        let server = try await harness.serve([
            "--load-batch-lines", "100", "--load-retry-max-delay", "500ms", "--health-timeout", "300ms",
        ])
        let adminPort = try #require(server.adminPort)
        let replay = try TestProcess(
            harness.smdr, ["replay", capture, "--to", "127.0.0.1:\(server.listenPort)", "--rate", "2000"],
            environment: harness.environment
        )
        let probing = Task.detached {
            var probes = 0
            while !Task.isCancelled {
                _ = try? HTTPProbe.get("/healthz", port: adminPort)
                probes += 1
                try? await Task.sleep(for: .milliseconds(15))
            }
            return probes
        }
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(1500))
            try await harness.crashPostgreSQL()
            try await Task.sleep(for: .milliseconds(700))
            try await harness.run(["db", "start"])
        }
        #expect(try await replay.waitForExit(timeout: .seconds(90)) == 0, "\(replay.standardError)")
        let counts = try await harness.waitFor(
            "SELECT count(*) || ' ' || count(DISTINCT sha256) || ' ' || (SELECT count(*) FROM smdr.call_leg) FROM smdr.raw_record",
            toBe: "\(lines) \(lines) \(lines)"
        )
        probing.cancel()
        #expect(await probing.value > 50)
        #expect(counts == "\(lines) \(lines) \(lines)")
        // The probe's kept connection died in a crash: the first check after the restart
        // still says healthy (it retries once on a new connection).
        #expect(try await harness.admin("/healthz", port: adminPort).response.hasPrefix("HTTP/1.1 200"))
        try await harness.crashPostgreSQL()
        try await harness.run(["db", "start"])
        let afterRestart = try await harness.admin("/healthz", port: adminPort).response
        #expect(afterRestart.hasPrefix("HTTP/1.1 200"), "\(afterRestart)")
        #expect(try await server.stop() == 0)
    }

    /// Issue 8, 1.1, deterministically: batches lost behind the loader's back (as asynchronous
    /// commits are in a crash: rows and checkpoint gone) are loaded again, because the next
    /// batch's checkpoint is a compare-and-set on where the stored one ends, not a forward jump.
    @Test func batchesLostBehindTheLoaderAreLoadedAgain() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.addSite()
        let server = try await harness.serve()
        let first = try harness.capture(lines: 300, seed: 21, name: "first")
        try await harness.run(["replay", first, "--to", "127.0.0.1:\(server.listenPort)"])
        #expect(try await harness.waitFor("SELECT count(*) FROM smdr.raw_record", toBe: "300") == "300")
        // What a crash that lost the last asynchronous commits leaves behind.
        _ = try await harness.query(
            "BEGIN; DELETE FROM smdr.call_leg; DELETE FROM smdr.raw_record; DELETE FROM smdr.journal_checkpoint; COMMIT"
        )
        let second = try harness.capture(lines: 200, seed: 22, name: "second")
        try await harness.run(["replay", second, "--to", "127.0.0.1:\(server.listenPort)"])
        let counts = try await harness.waitFor(
            "SELECT count(*) || ' ' || count(DISTINCT sha256) || ' ' || (SELECT count(*) FROM smdr.call_leg) FROM smdr.raw_record",
            toBe: "500 500 500", timeout: .seconds(30)
        )
        #expect(counts == "500 500 500")
        #expect(server.process.standardError.contains("journal checkpoint is not where this loader left it"))
        #expect(try await server.stop() == 0)
    }

    /// Issue 8, 1.2 and 1.6: a site whose journal cannot be read is retried alone: the other
    /// site keeps loading, serve keeps running, and the database is not reported down.
    @Test func oneSitesJournalFailingLeavesTheOtherSitesLoading() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.run(["site", "add", "alpha", "--time-zone", "Europe/London", "--allow", "127.0.0.2"])
        try await harness.run(["site", "add", "beta", "--time-zone", "Europe/London", "--allow", "127.0.0.3"])
        let server = try await harness.serve()
        let adminPort = try #require(server.adminPort)
        var generator = StreamGenerator(seed: 31, width: 35)
        func lines(_ count: Int) -> [UInt8] { (0..<count).flatMap { _ in generator.nextLine() + [0x0D, 0x0A] } }
        try LoopbackSender.send(lines(50), to: server.listenPort, from: "127.0.0.2")
        try LoopbackSender.send(lines(50), to: server.listenPort, from: "127.0.0.3")
        #expect(try await harness.waitFor("SELECT count(*) FROM smdr.raw_record", toBe: "100") == "100")

        // alpha's segment vanishes from under the loader (the writer keeps its descriptor).
        let alpha = harness.dataDirectory + "/journal/alpha"
        for file in try FileManager.default.contentsOfDirectory(atPath: alpha) where file.hasSuffix(".smdrj") {
            try FileManager.default.removeItem(atPath: alpha + "/" + file)
        }
        try LoopbackSender.send(lines(50), to: server.listenPort, from: "127.0.0.2")
        try LoopbackSender.send(lines(70), to: server.listenPort, from: "127.0.0.3")
        let beta = try await harness.waitFor(
            "SELECT count(*) FROM smdr.raw_record r JOIN smdr.site s ON s.id = r.site_id WHERE s.name = 'beta'", toBe: "120"
        )
        #expect(beta == "120")
        var metrics = ""
        for _ in 0..<50 where !metrics.contains(#"smdr_journal_errors_total{site="alpha"}"#) {
            try await Task.sleep(for: .milliseconds(100))
            metrics = try await harness.admin("/metrics", port: adminPort).response
        }
        #expect(metrics.contains(#"smdr_journal_errors_total{site="alpha"}"#))
        #expect(!metrics.contains(#"smdr_journal_errors_total{site="beta"}"#))
        #expect(metrics.contains("smdr_database_up 1.0"))
        #expect(server.process.standardError.contains("reading the journal failed; retrying"))
        #expect(try await server.stop() == 0)
    }

    /// Issue 8, 1.3 and 1.6: while PostgreSQL hangs (stopped, not down), /healthz answers 503
    /// within its deadline, /metrics answers, the lag grows; all of it recovers.
    @Test func healthAndMetricsAnswerWhileTheDatabaseHangs() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.addSite()
        let server = try await harness.serve(["--health-timeout", "1s"])
        let adminPort = try #require(server.adminPort)
        let first = try harness.capture(lines: 100, seed: 3, name: "first")
        try await harness.run(["replay", first, "--to", "127.0.0.1:\(server.listenPort)"])
        try await harness.waitFor("SELECT count(*) FROM smdr.raw_record", toBe: "100")
        #expect(try await harness.admin("/healthz", port: adminPort).response.hasPrefix("HTTP/1.1 200"))

        try harness.signalPostgreSQL(SIGSTOP)
        defer { try? harness.signalPostgreSQL(SIGCONT) }
        let second = try harness.capture(lines: 100, seed: 4, name: "second")
        try await harness.run(["replay", second, "--to", "127.0.0.1:\(server.listenPort)"])
        for _ in 0..<3 {  // the first probe hangs on the frozen server; later ones must not queue behind it
            let health = try await harness.admin("/healthz", port: adminPort)
            #expect(health.response.hasPrefix("HTTP/1.1 503"), "\(health.response)")
            #expect(health.elapsed < .seconds(3), "healthz took \(health.elapsed)")
        }
        try await Task.sleep(for: .seconds(3))
        let metrics = try await harness.admin("/metrics", port: adminPort)
        #expect(metrics.elapsed < .seconds(2))
        #expect(metrics.response.contains("smdr_database_up 0.0"))
        let lag = try #require(Self.value(of: #"smdr_load_lag_seconds{site="hq"}"#, in: metrics.response))
        #expect(lag >= 3, "lag \(lag) while nothing could load for 3 s")

        try harness.signalPostgreSQL(SIGCONT)
        try await harness.waitFor("SELECT count(*) FROM smdr.raw_record", toBe: "200")
        var healthy = false
        for _ in 0..<40 where !healthy {
            healthy = try await harness.admin("/healthz", port: adminPort).response.hasPrefix("HTTP/1.1 200")
            if !healthy { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(healthy)
        let after = try await harness.admin("/metrics", port: adminPort).response
        #expect(Self.value(of: #"smdr_load_lag_seconds{site="hq"}"#, in: after) == 0)
        #expect(try await server.stop() == 0)
    }

    /// Issue 8, 1.9: a restart during a database outage journals (with the sites cached from
    /// the last start), reports the database down, and loads once PostgreSQL is back.
    @Test func startsWhilePostgreSQLIsDownAndLoadsWhenItReturns() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.addSite()
        // A first start caches the site list, as any successful start does.
        let earlier = try await harness.serve()
        #expect(try await earlier.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: harness.dataDirectory + "/sites.json"))

        // PostgreSQL down; point serve at it explicitly, so that serve cannot start it itself.
        try await harness.pgCtl(["stop", "-m", "fast", "-w"])
        let conninfo = EmbeddedCluster(dataDirectory: harness.dataDirectory).connectionConfiguration.conninfo
        let server = try await harness.serve(["--database", conninfo, "--load-retry-max-delay", "1s", "--health-timeout", "1s"])
        #expect(server.process.standardError.contains("PostgreSQL is unreachable"))
        let adminPort = try #require(server.adminPort)
        let capture = try harness.capture(lines: 500, seed: 9)
        try await harness.run(["replay", capture, "--to", "127.0.0.1:\(server.listenPort)"])
        var metrics = ""
        for _ in 0..<100 where !metrics.contains(#"smdr_lines_received_total{site="hq"} 500"#) {
            try await Task.sleep(for: .milliseconds(100))
            metrics = try await harness.admin("/metrics", port: adminPort).response
        }
        #expect(metrics.contains(#"smdr_lines_received_total{site="hq"} 500"#))
        #expect(metrics.contains("smdr_database_up 0.0"))
        #expect(try await harness.admin("/healthz", port: adminPort).response.hasPrefix("HTTP/1.1 503"))

        try await harness.run(["db", "start"])
        #expect(try await harness.waitFor("SELECT count(*) FROM smdr.raw_record", toBe: "500") == "500")
        #expect(try await server.stop() == 0)
    }

    /// Issue 8, 2.6: serve with no site starts and refuses connections; a site added while it
    /// runs is served within the refresh interval, and one whose network changes stops being.
    @Test func startsWithNoSiteAndPicksUpSitesWithoutRestart() async throws {
        let harness = try EmbeddedServeHarness()
        defer { harness.tearDown() }
        try await harness.run(["db", "start"])
        let server = try await harness.serve(["--site-refresh-interval", "500ms"])
        #expect(server.process.standardError.contains("no sites"))
        let adminPort = try #require(server.adminPort)
        let capture = try harness.capture(lines: 50, seed: 12)
        _ = try? await TestProcess.run(
            harness.smdr, ["replay", capture, "--to", "127.0.0.1:\(server.listenPort)"], environment: harness.environment
        )
        let refused = try await harness.admin("/metrics", port: adminPort).response
        #expect(refused.contains(#"smdr_connections_refused_total{reason="unknown_peer"}"#))

        try await harness.addSite()
        var loaded = "0"
        let deadline = ContinuousClock.now + .seconds(30)
        while loaded != "50", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            _ = try? await TestProcess.run(
                harness.smdr, ["replay", capture, "--to", "127.0.0.1:\(server.listenPort)"], environment: harness.environment
            )
            loaded = (try? await harness.query("SELECT count(*) FROM smdr.raw_record")) ?? "0"
        }
        #expect(loaded == "50")
        #expect(server.process.standardError.contains("site added"))
        #expect(try await server.stop() == 0)
    }

    private static func value(of metric: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(metric + " ") }
            .flatMap { Double($0.dropFirst(metric.count + 1)) }
    }
}
