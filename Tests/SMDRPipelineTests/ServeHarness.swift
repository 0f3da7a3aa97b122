import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

/// Runs the real `smdr serve` binary against a test database and a temporary data directory.
struct ServeHarness {
    let database: TestDatabase
    let dataDirectory: String
    var extraArguments: [String] = []

    init(database: TestDatabase, extraArguments: [String] = []) throws {
        self.database = database
        self.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("smdr-serve-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: self.dataDirectory, withIntermediateDirectories: true)
        self.extraArguments = extraArguments
    }

    /// `--database` for the child: the test database on the same server, no password
    /// (the child inherits `PG*` / `.pgpass` from the test process).
    var conninfo: String { self.database.conninfo }

    /// Adds a site allowing 127.0.0.1.
    func addSite(_ name: String = "hq", timeZone: String = "Europe/London", allow: [String] = ["127.0.0.1/32"]) throws {
        let connection = try self.database.connect()
        try Site(name: name, timeZone: timeZone, allowedPeers: allow).save(on: connection)
    }

    /// A running server and the ports it bound.
    struct Server {
        let process: TestProcess
        let listenPort: Int
        let adminPort: Int
    }

    func start() async throws -> Server {
        let process = try TestProcess(
            TestProcess.smdrExecutable,
            [
                "serve", "--database", self.conninfo, "--data-dir", self.dataDirectory,
                "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0", "--flush-interval", "10ms",
            ] + self.extraArguments
        )
        let output = try await process.waitForOutput(containing: "smdr serve ready", timeout: .seconds(60))
        let ready = try #require(output.split(separator: "\n").last { $0.contains("smdr serve ready") })
        return Server(
            process: process,
            listenPort: try #require(Self.port(after: "smdr.listen=", in: ready)),
            adminPort: try #require(Self.port(after: "smdr.admin=", in: ready))
        )
    }

    /// The port at the end of `key=[IPv4]127.0.0.1/127.0.0.1:PORT`.
    private static func port(after key: String, in line: Substring) -> Int? {
        guard let range = line.range(of: key) else { return nil }
        let value = line[range.upperBound...].prefix { $0 != " " }
        return value.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Sends a capture with `smdr replay`.
    @discardableResult
    func replay(_ file: String, port: Int, arguments: [String] = []) async throws -> (status: Int32, standardError: String) {
        let result = try await TestProcess.run(
            TestProcess.smdrExecutable, ["replay", file, "--to", "127.0.0.1:\(port)"] + arguments,
            timeout: .seconds(300)
        )
        return (result.status, result.standardError)
    }

    /// Rows in `raw_record` and `call_leg`, and distinct raw keys.
    func counts() throws -> (raw: Int, distinct: Int, legs: Int) {
        let connection = try self.database.connect()
        let row = try connection.execute(
            """
            SELECT (SELECT count(*) FROM smdr.raw_record), (SELECT count(DISTINCT (site_id, sha256)) FROM smdr.raw_record),
                   (SELECT count(*) FROM smdr.call_leg)
            """
        )[0]
        return (row[0].int ?? -1, row[1].int ?? -1, row[2].int ?? -1)
    }

    /// Waits until `raw_record` holds `count` rows.
    func waitForRawRecords(_ count: Int, timeout: Duration = .seconds(240)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = -1
        while ContinuousClock.now < deadline {
            last = try self.counts().raw
            if last >= count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("raw_record holds \(last) rows after \(timeout), expected \(count)")
    }

    /// Writes `count` generated lines (CRLF) to a file and returns its path and the lines.
    func generate(lines count: Int, seed: UInt64) throws -> (path: String, lines: [[UInt8]]) {
        var generator = StreamGenerator(seed: seed, width: 35)
        var lines: [[UInt8]] = []
        var bytes: [UInt8] = []
        for _ in 0..<count {
            let line = generator.nextLine()
            lines.append(line)
            bytes += line
            bytes += [0x0D, 0x0A]
        }
        let path = self.dataDirectory + "/capture-\(seed).smdr"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, lines)
    }

    /// GET from the admin port.
    func admin(_ path: String, port: Int) throws -> String {
        try HTTPProbe.get(path, port: port)
    }
}
