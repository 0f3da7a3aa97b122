import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `smdr site add|set|rederive`, `smdr ingest --site` and `smdr serve` with the sites they make,
/// as real processes against a real PostgreSQL.
@Suite(.timeLimit(.minutes(10)))
struct SiteCommandTests {
    /// Sites named as people name them reach `smdr serve` and load, in listen and connect mode.
    @Test func serveAcceptsTheSiteNamesThatSiteAddAccepts() async throws {
        try await TestDatabase.withDatabase { database in
            var harness = try ServeHarness(database: database)
            let smdr = Smdr(harness: harness)
            try await smdr.expect(0, ["site", "add", "Main Office", "--time-zone", "Europe/London", "--allow", "127.0.0.1"])
            try await smdr.expect(0, ["site", "add", "Zürich", "--time-zone", "Europe/Zurich"])
            let office = try harness.generate(lines: 300, seed: 41)
            let zurich = try harness.generate(lines: 200, seed: 42)

            // Zürich's PBX is in listen mode: serve dials it.
            let pbx = try TestProcess(TestProcess.smdrExecutable, ["replay", zurich.path, "--listen", "127.0.0.1:0"])
            let listening = try await pbx.waitForOutput(containing: "listening on")
            let pbxPort = try #require(
                listening.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: ":").last.flatMap { Int($0) }
            )
            harness.extraArguments = ["--connect", "Zürich=127.0.0.1:\(pbxPort)"]
            let server = try await harness.start()
            let sent = try await harness.replay(office.path, port: server.listenPort)
            #expect(sent.status == 0, "\(sent.standardError)")
            try await harness.waitForRawRecords(500)
            #expect(try await pbx.waitForExit() == 0, "\(pbx.standardError)")
            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit() == 0, "\(server.process.standardError)")

            let perSite = try database.connect().execute(
                """
                SELECT s.name, count(r.*), (SELECT count(*) FROM smdr.call_leg AS l WHERE l.site_id = s.id)
                FROM smdr.site AS s LEFT JOIN smdr.raw_record AS r ON r.site_id = s.id GROUP BY s.id, s.name ORDER BY s.name
                """
            ).map { "\($0[0].string ?? "") \($0[1].int ?? -1) \($0[2].int ?? -1)" }
            #expect(perSite == ["Main Office 300 300", "Zürich 200 200"])
            let journals = try FileManager.default.contentsOfDirectory(atPath: harness.dataDirectory + "/journal").sorted()
            #expect(journals == ["Main%20Office", "Z%C3%BCrich"])
        }
    }

    @Test func siteAddRefusesAnExistingSiteAndSiteSetChangesOnlyWhatIsGiven() async throws {
        try await TestDatabase.withDatabase { database in
            let smdr = Smdr(harness: try ServeHarness(database: database))
            try await smdr.expect(0, [
                "site", "add", "hq", "--time-zone", "Europe/London", "--allow", "192.0.2.7", "--country-code", "44",
                "--trunk-access-code", "9",
            ])
            let settings = try await smdr.expect(0, ["site", "list"]).standardOutput

            // The mistake of issue 8: `add` again with only a time zone wiped the rest.
            let again = try await smdr.expect(2, ["site", "add", "hq", "--time-zone", "America/New_York"])
            #expect(again.standardError.contains("site 'hq' exists; change it with smdr site set 'hq'"))
            #expect(try await smdr.expect(0, ["site", "list"]).standardOutput == settings)

            let changed = try await smdr.expect(0, ["site", "set", "hq", "--time-zone", "America/New_York"])
            #expect(changed.standardOutput == "hq: time zone Europe/London -> America/New_York\n")
            #expect(changed.standardError.isEmpty)  // no legs stored: nothing to warn about
            let site = try #require(try Site.named("hq", on: database.connect()))
            #expect(site.timeZone == "America/New_York")
            #expect(site.allowedPeers == ["192.0.2.7/32"] && site.countryCode == "44" && site.trunkAccessCode == "9")

            let peers = try await smdr.expect(0, ["site", "set", "hq", "--allow", "10.0.0.0/8", "--trunk-access-code", ""])
            #expect(peers.standardOutput == "hq: allow 192.0.2.7/32 -> 10.0.0.0/8\nhq: trunk 9 -> -\n")
            #expect(try await smdr.expect(0, ["site", "set", "hq", "--country-code", "44"]).standardOutput == "hq: no change\n")

            let unknown = try await smdr.expect(2, ["site", "set", "hx", "--time-zone", "UTC"])
            #expect(unknown.standardError.contains("no site named 'hx'"))
            let badZone = try await smdr.expect(2, ["site", "set", "hq", "--time-zone", "Mars/Olympus"])
            #expect(badZone.standardError.contains("unknown time zone 'Mars/Olympus'"))
            #expect(try await smdr.expect(2, ["site", "set", "hq"]).standardError.contains("nothing to change"))

            // A network belongs to one site: serve could not tell whose a peer is (and used to
            // refuse to start at all). A more specific one inside it may be another site's.
            let taken = try await smdr.expect(2, ["site", "add", "branch", "--time-zone", "UTC", "--allow", "10.0.0.0/8"])
            #expect(taken.standardError.contains("--allow 10.0.0.0/8: already allowed for site 'hq'"))
            try await smdr.expect(0, ["site", "add", "branch", "--time-zone", "UTC", "--allow", "10.1.0.0/16"])
            let moved = try await smdr.expect(2, ["site", "set", "branch", "--allow", "10.0.0.0/8"])
            #expect(moved.standardError.contains("already allowed for site 'hq'"))
        }
    }

    /// Legs loaded under one zone, the zone changed, rederive: every leg has what a fresh load
    /// under the new zone gives, including the DST-ambiguous and skipped hours of the new zone.
    @Test func rederiveGivesWhatAFreshLoadUnderTheNewZoneGives() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            let smdr = Smdr(harness: harness)
            // Lines around New York's spring-forward (no Record Time: arrival is the reference)
            // and fall-back (with Record Time); every fifth starts in the hour skipped or repeated there.
            var bytes: [UInt8] = []
            for (start, width, hour) in [
                (LocalDateTime(year: 2024, month: 3, day: 10, hour: 1, minute: 0), 30, "2024/03/10 02"),
                (LocalDateTime(year: 2024, month: 11, day: 3, hour: 0, minute: 30), 35, "2024/11/03 01"),
            ] {
                var generator = StreamGenerator(seed: 7, width: width, start: start)
                for index in 0..<1_500 {
                    var line = generator.nextLine()
                    if index % 5 == 0 { line.replaceSubrange(0..<13, with: Array(hour.utf8)) }
                    bytes += line + [0x0D, 0x0A]
                }
            }
            let capture = harness.dataDirectory + "/dst.smdr"
            try Data(bytes).write(to: URL(fileURLWithPath: capture))

            try await smdr.expect(0, ["site", "add", "moved", "--time-zone", "Europe/London"])
            try await smdr.expect(0, ["ingest", "--site", "moved", "--no-progress", capture])
            let set = try await smdr.expect(0, ["site", "set", "moved", "--time-zone", "America/New_York"])
            #expect(set.standardError.contains("warning: 3000 stored legs of site 'moved' keep call_start computed with Europe/London"))
            #expect(set.standardError.contains("smdr site rederive 'moved'"))

            try await smdr.expect(0, ["site", "add", "fresh", "--time-zone", "America/New_York"])
            try await smdr.expect(0, ["ingest", "--site", "fresh", "--no-progress", capture])
            let before = try Self.times(of: "moved", database)
            let expected = try Self.times(of: "fresh", database)
            #expect(before.count == 3000 && expected.count == 3000)
            let differing = before.filter { expected[$0.key] != $0.value }.count
            #expect(differing == 3000)
            #expect(expected.values.contains { $0.hasSuffix("ambiguous") } && expected.values.contains { $0.hasSuffix("nonexistent") })

            // A range first: only the legs of 3 November.
            let day = try await smdr.expect(0, ["site", "rederive", "moved", "--from", "2024-11-03", "--to", "2024-11-03"])
            let dayLegs = before.keys.filter { $0.contains("2024-11-03") }.count
            #expect(day.standardOutput == "moved: \(dayLegs) legs examined, \(dayLegs) changed (time zone America/New_York)\n")
            let all = try await smdr.expect(0, ["site", "rederive", "moved"])
            #expect(all.standardOutput == "moved: 3000 legs examined, \(3000 - dayLegs) changed (time zone America/New_York)\n")
            #expect(try Self.times(of: "moved", database) == expected)

            #expect(try await smdr.expect(2, ["site", "rederive", "moved", "--from", "2024-02-30"]).standardError.contains("--from '2024-02-30'"))
            #expect(try await smdr.expect(2, ["site", "rederive", "nowhere"]).standardError.contains("no site named 'nowhere'"))
        }
    }

    @Test func ingestCreatesDefaultOnlyOnTheFirstRunAndOtherwiseNeedsAKnownSite() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            let smdr = Smdr(harness: harness)
            let capture = try harness.generate(lines: 20, seed: 5)

            let first = try await smdr.expect(0, ["ingest", "--no-progress", capture.path], environment: ["TZ": "Europe/Paris"])
            #expect(first.standardError.contains("no site yet: created site 'default' with time zone Europe/Paris"))
            let once = try await smdr.expect(0, ["ingest", "--no-progress", capture.path])
            #expect(once.standardError.contains("no --site given: using the only site, 'default'"))

            let typo = try await smdr.expect(2, ["ingest", "--site", "defualt", "--no-progress", capture.path])
            #expect(typo.standardError.contains("--site 'defualt': no such site; known sites: 'default'"))
            try await smdr.expect(0, ["site", "add", "branch", "--time-zone", "Europe/London"])
            let unnamed = try await smdr.expect(2, ["ingest", "--no-progress", capture.path])
            #expect(unnamed.standardError.contains("--site is required when there are several sites: give one of 'branch', 'default'"))
            try await smdr.expect(0, ["ingest", "--site", "branch", "--no-progress", capture.path])

            let sites = try database.connect().execute("SELECT name, time_zone FROM smdr.site ORDER BY name").map {
                "\($0[0].string ?? "") \($0[1].string ?? "")"
            }
            #expect(sites == ["branch Europe/London", "default Europe/Paris"])
        }
    }

    // MARK: - Helpers

    /// `call_start` and flags of a site's legs by call, local start and ordinal.
    private static func times(of site: String, _ database: TestDatabase) throws -> [String: String] {
        var times: [String: String] = [:]
        let rows = try database.connect().execute(
            """
            SELECT l.call_id || ' ' || l.call_start_local || ' ' || l.leg_ordinal,
                   extract(epoch FROM l.call_start)::bigint || CASE WHEN l.time_ambiguous THEN ' ambiguous' ELSE '' END
                       || CASE WHEN l.time_nonexistent THEN ' nonexistent' ELSE '' END
            FROM smdr.call_leg AS l JOIN smdr.site AS s ON s.id = l.site_id WHERE s.name = $1
            """,
            [.text(site)]
        )
        for row in rows { times[row[0].string ?? ""] = row[1].string ?? "" }
        return times
    }

    /// Runs the `smdr` binary against the test database.
    private struct Smdr {
        let harness: ServeHarness

        @discardableResult
        func expect(
            _ status: Int32,
            _ arguments: [String],
            environment: [String: String?] = [:],
            sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> (status: Int32, standardOutput: String, standardError: String) {
            let result = try await TestProcess.run(
                TestProcess.smdrExecutable, arguments + ["--database", self.harness.conninfo], environment: environment
            )
            #expect(
                result.status == status,
                "smdr \(arguments.joined(separator: " ")): exit \(result.status)\n\(result.standardError)",
                sourceLocation: sourceLocation
            )
            return result
        }
    }
}
