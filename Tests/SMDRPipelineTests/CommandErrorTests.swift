import Foundation
import SMDRPostgres
import SMDRTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses and error messages of the real `smdr` binary: one table (0 ok, 1 rejected lines,
/// 2 usage, 3 database, 4 output/other failure), and messages that name the flag, the value and
/// what is expected.
@Suite(.timeLimit(.minutes(5)))
struct CommandErrorTests {
    static let smdr = TestProcess.smdrExecutable

    /// Runs a shell command line (for redirections and pipes the test process cannot express).
    static func shell(_ script: String) async throws -> (status: Int32, standardOutput: String, standardError: String) {
        try await TestProcess.run("/bin/bash", ["-c", script])
    }

    static func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-errors-\(UUID().uuidString).smdr").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let good = "2008/06/26 10:27:44,00:00:44,4,4688,O,4207,4207,,1,1000013898,0,E4688,Joe Bloggs,E4207,John Smith,0,0"
    static let bad = "2008/06/26 10:27:44,00:00:44,4,4688,X,4207,4207,,1,1000013898,0,E4688,Joe Bloggs,E4207,John Smith,0,0"

    // MARK: - §1.7 write errors

    @Test func generateOnAFullDeviceFailsAndSaysSo() async throws {
        let result = try await Self.shell("'\(Self.smdr)' generate --lines 100000 > /dev/full")
        #expect(result.status == 4)
        #expect(result.standardError.contains("smdr generate: cannot write standard output: No space left on device"))
    }

    @Test func parseOnAFullDeviceFailsAndSaysSo() async throws {
        let file = try Self.temporaryFile(String(repeating: Self.good + "\r\n", count: 2000))
        let result = try await Self.shell("'\(Self.smdr)' parse '\(file)' > /dev/full")
        #expect(result.status == 4)
        #expect(result.standardError.contains("smdr parse: cannot write standard output: No space left on device"))
    }

    /// Not only parse and generate: every command's standard output (here `site list`,
    /// `migrate` and `ingest`'s summary) fails with status 4 on a full disk.
    @Test func everyCommandFailsOnAFullDevice() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let database = "--database '\(harness.conninfo)'"
            let file = try Self.temporaryFile(Self.good + "\r\n")
            for command in ["site list \(database)", "migrate \(database)", "ingest --site hq \(database) '\(file)'"] {
                let result = try await Self.shell("'\(Self.smdr)' \(command) > /dev/full")
                #expect(result.status == 4, "smdr \(command): \(result.standardError)")
                #expect(result.standardError.contains("cannot write standard output: No space left on device"), "\(command)")
            }
        }
    }

    @Test func aClosedPipeEndsTheOutputQuietly() async throws {
        let generate = try await Self.shell("'\(Self.smdr)' generate --lines 1000000 | head -1 > /dev/null; echo \"${PIPESTATUS[0]}\"")
        #expect(generate.standardOutput == "0\n")
        #expect(generate.standardError.isEmpty)
        let file = try Self.temporaryFile(String(repeating: Self.good + "\r\n", count: 20000))
        let parse = try await Self.shell("'\(Self.smdr)' parse '\(file)' | head -1 > /dev/null; echo \"${PIPESTATUS[0]}\"")
        #expect(parse.standardOutput == "0\n")
        #expect(parse.standardError.isEmpty)
    }

    // MARK: - §1.10 one table of exit statuses

    @Test func usageErrorsExitTwo() async throws {
        let missing = try await TestProcess.run(Self.smdr, ["parse", "/nonexistent/capture.smdr"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("/nonexistent/capture.smdr"))
        let flag = try await TestProcess.run(Self.smdr, ["generate", "--lines", "-1"])
        #expect(flag.status == 2)
    }

    @Test func databaseErrorsExitThree() async throws {
        let result = try await TestProcess.run(
            Self.smdr, ["site", "list", "--database", "host=127.0.0.1 port=1 dbname=smdr connect_timeout=5"]
        )
        #expect(result.status == 3)
        #expect(result.standardError.hasPrefix("smdr: error: "))
    }

    @Test func otherFailuresExitFourNotOne() async throws {
        // A refused connection is neither a usage nor a database error; ArgumentParser's default was 1.
        let file = try Self.temporaryFile(Self.good + "\r\n")
        let result = try await TestProcess.run(Self.smdr, ["replay", file, "--to", "127.0.0.1:1"])
        #expect(result.status == 4)
        #expect(result.standardError.contains("127.0.0.1:1"))
    }

    @Test func replayOfAFileThatCannotBeReadIsAUsageError() async throws {
        // The replayer reads with the one file reader, so a missing capture is reported as
        // parse and ingest report one, before any connection is tried.
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-missing-\(UUID().uuidString).txt").path
        let result = try await TestProcess.run(Self.smdr, ["replay", missing, "--to", "127.0.0.1:1"])
        #expect(result.status == 2)
        #expect(result.standardError.contains(missing))
        #expect(!result.standardError.contains("127.0.0.1:1"))
    }

    // MARK: - §2.7 messages that say what is wrong

    @Test func aBadAllowedNetworkNamesTheFlagAndTheValue() async throws {
        // Checked before any database is opened: the bogus --database is never reached.
        let result = try await TestProcess.run(
            Self.smdr,
            ["site", "add", "hq", "--time-zone", "UTC", "--allow", "10.0.0.300", "--database", "host=127.0.0.1 port=1"]
        )
        #expect(result.status == 2)
        #expect(result.standardError.contains("--allow '10.0.0.300': expected an IPv4 or IPv6 address"))
        #expect(!result.standardError.contains("22P02"))
        let hostBits = try await TestProcess.run(
            Self.smdr, ["site", "add", "hq", "--time-zone", "UTC", "--allow", "10.0.0.5/24", "--database", "host=127.0.0.1 port=1"]
        )
        #expect(hostBits.status == 2)
        #expect(hostBits.standardError.contains("--allow '10.0.0.5/24'"))
        #expect(hostBits.standardError.contains("10.0.0.0/24"))
    }

    @Test func journalSizesAreCheckedByTheirFlagNames() async throws {
        let small = try await TestProcess.run(Self.smdr, ["serve", "--journal-max-bytes", "64MiB", "--database", "host=127.0.0.1 port=1"])
        #expect(small.status == 2)
        #expect(small.standardError.contains("--journal-max-bytes: expected at least twice --journal-segment-bytes"))
        #expect(small.standardError.contains("got '64MiB'"))
        #expect(!small.standardError.contains("maximumBytes"))
        let garbage = try await TestProcess.run(Self.smdr, ["serve", "--journal-max-bytes", "lots", "--database", "host=127.0.0.1 port=1"])
        #expect(garbage.status == 2)
        #expect(garbage.standardError.contains("--journal-max-bytes: expected a size in bytes such as 65536, 64KiB, 64MiB or 1GiB"))
        let environment = try await TestProcess.run(
            Self.smdr, ["serve", "--database", "host=127.0.0.1 port=1"], environment: ["SMDR_READ_BUFFER_SIZE": "100"]
        )
        #expect(environment.status == 2)
        #expect(environment.standardError.contains("SMDR_READ_BUFFER_SIZE: expected a size in bytes"))
        #expect(environment.standardError.contains("at least 256, got '100' (from environment)"))
    }

    /// A listening socket on a free loopback port, held until `close`.
    static func occupiedPort() throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound)
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aPortInUseIsNamedWithItsFlag() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let taken = try Self.occupiedPort()
            defer { close(taken.descriptor) }
            let listen = try await TestProcess.run(
                Self.smdr,
                ["serve", "--database", harness.conninfo, "--data-dir", harness.dataDirectory,
                 "--listen", "127.0.0.1:\(taken.port)", "--admin", "off"]
            )
            #expect(listen.status == 2)
            #expect(listen.standardError.contains("smdr serve: --listen 127.0.0.1:\(taken.port): address already in use"))
            #expect(!listen.standardError.contains("bind(descriptor"))
            let admin = try await TestProcess.run(
                Self.smdr,
                ["serve", "--database", harness.conninfo, "--data-dir", harness.dataDirectory,
                 "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:\(taken.port)"]
            )
            #expect(admin.status == 2)
            #expect(admin.standardError.contains("smdr serve: --admin 127.0.0.1:\(taken.port): address already in use"))
        }
    }

    // MARK: - §2.8 rejected lines

    @Test func ingestReportsEachNewRejectedLineAndARerunExitsZero() async throws {
        try await TestDatabase.withDatabase { database in
            let harness = try ServeHarness(database: database)
            try harness.addSite()
            let control = Self.bad.replacingOccurrences(of: "Joe Bloggs", with: "Joe\u{01}Bloggs\\")
            let otherBad = Self.bad.replacingOccurrences(of: "4688", with: "4689")
            let file = try Self.temporaryFile([Self.good, Self.bad, control, otherBad].joined(separator: "\r\n") + "\r\n")
            let arguments = ["ingest", "--database", harness.conninfo, "--site", "hq", "--max-reported-rejects", "2", file]

            let first = try await TestProcess.run(Self.smdr, arguments)
            #expect(first.status == 1)
            #expect(first.standardError.contains("\(file):2: rejected: invalidDirection in field 5 (Direction) at byte 36\n"))
            #expect(first.standardError.contains("\(file):3: rejected: invalidDirection in field 5 (Direction) at byte 36\n"))
            #expect(!first.standardError.contains("\(file):4:"))
            #expect(first.standardError.contains("… and 1 more rejected line"))
            #expect(first.standardOutput.contains("rejected 3 (3 new)"))

            let rerun = try await TestProcess.run(Self.smdr, arguments)
            #expect(rerun.status == 0)
            #expect(!rerun.standardError.contains("rejected:"))
            #expect(rerun.standardOutput.contains("new 0, duplicate 4, rejected 3 (0 new)"))

            let listed = try await TestProcess.run(Self.smdr, ["rejects", "--database", harness.conninfo, "--site", "hq"])
            #expect(listed.status == 0)
            let rows = listed.standardOutput.split(separator: "\n")
            #expect(rows.count == 3)
            let row = try #require(rows.first { $0.contains("file:\(file):3\t") })
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false)
            #expect(columns.count == 7)
            #expect(columns[0] == "hq")
            #expect(columns[3] == "invalidDirection")
            #expect(columns[4] == "5")
            #expect(columns[5] == "36")
            #expect(columns[6].contains("Joe\\x01Bloggs\\x5c,"))

            let limited = try await TestProcess.run(Self.smdr, ["rejects", "--database", harness.conninfo, "--limit", "1"])
            #expect(limited.standardOutput.split(separator: "\n").count == 1)
            let future = try await TestProcess.run(Self.smdr, ["rejects", "--database", harness.conninfo, "--since", "2999-01-01"])
            #expect(future.status == 0)
            #expect(future.standardOutput.isEmpty)
            let unknown = try await TestProcess.run(Self.smdr, ["rejects", "--database", harness.conninfo, "--site", "nowhere"])
            #expect(unknown.status == 2)
            #expect(unknown.standardError.contains("--site 'nowhere': no such site; known: hq"))
            let badDate = try await TestProcess.run(Self.smdr, ["rejects", "--database", harness.conninfo, "--since", "yesterday"])
            #expect(badDate.status == 2)
            #expect(badDate.standardError.contains("--since 'yesterday'"))
        }
    }

    @Test func rejectsNeverCreatesAnEmbeddedCluster() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-rejects-\(UUID().uuidString)").path
        let result = try await TestProcess.run(
            Self.smdr, ["rejects", "--data-dir", directory],
            environment: ["SMDR_DATABASE": nil, "PGHOST": nil, "PGHOSTADDR": nil, "PGSERVICE": nil, "PGDATABASE": nil]
        )
        #expect(result.status == 3)
        #expect(result.standardError.contains("no database yet: there is no embedded PostgreSQL in \(directory)/postgres"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/postgres"))
    }
}
