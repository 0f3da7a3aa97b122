import Foundation
import SMDRCore
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

/// Runs the real `smdr` binary on its own embedded PostgreSQL cluster in a temporary data
/// directory, so a test can crash, freeze or stop that server.
struct EmbeddedServeHarness {
    let dataDirectory: String
    /// No `PG*` variables: smdr uses its embedded cluster.
    let environment: [String: String?]
    let smdr = TestProcess.smdrExecutable

    init() throws {
        self.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("smdr-embedded-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(
            atPath: self.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]
        )
        var environment: [String: String?] = ["SMDR_DATABASE": nil, "SMDR_DATA": self.dataDirectory]
        for name in ["PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE", "PGPORT", "PGUSER", "PGPASSWORD"] {
            environment.updateValue(nil, forKey: name)  // a nil value removes the variable in the child
        }
        self.environment = environment
    }

    /// Stops the cluster and removes the data directory.
    func tearDown() {
        _ = try? TestProcess.runBlocking(self.smdr, ["db", "stop"], environment: self.environment)
        try? FileManager.default.removeItem(atPath: self.dataDirectory)
    }

    /// Runs `smdr ARGUMENTS`, requiring exit status 0.
    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let result = try await TestProcess.run(self.smdr, arguments, environment: self.environment)
        try #require(result.status == 0, "smdr \(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput
    }

    /// One value from SQL on the embedded cluster.
    func query(_ sql: String) async throws -> String {
        try await self.run(["db", "psql", "--", "-tA", "-c", sql]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `count` generated lines (CRLF) to a file and returns its path.
    func capture(lines count: Int, seed: UInt64, name: String = "capture") throws -> String {
        var generator = StreamGenerator(seed: seed, width: 35)
        var bytes: [UInt8] = []
        for _ in 0..<count { bytes += generator.nextLine() + [0x0D, 0x0A] }
        let path = self.dataDirectory + "/\(name)-\(seed).smdr"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Adds a site `hq` in Europe/London that allows 127.0.0.1, with the real `smdr site add`.
    func addSite() async throws {
        try await self.run(["site", "add", "hq", "--time-zone", "Europe/London", "--allow", "127.0.0.1"])
    }

    /// A running `smdr serve` and its ports.
    struct Server {
        let process: TestProcess
        let listenPort: Int
        let adminPort: Int?

        /// Sends SIGTERM and returns the exit status.
        func stop() async throws -> Int32 {
            self.process.signal(SIGTERM)
            return try await self.process.waitForExit(timeout: .seconds(60))
        }
    }

    func serve(_ arguments: [String] = []) async throws -> Server {
        let process = try TestProcess(
            self.smdr, ["serve", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"] + arguments, environment: self.environment
        )
        let output = try await process.waitForOutput(containing: "smdr serve ready", timeout: .seconds(90))
        let ready = try #require(output.split(separator: "\n").last { $0.contains("smdr serve ready") })
        return Server(
            process: process,
            listenPort: try #require(Self.port(after: "smdr.listen=", in: ready)),
            adminPort: Self.port(after: "smdr.admin=", in: ready)
        )
    }

    private static func port(after key: String, in line: Substring) -> Int? {
        guard let range = line.range(of: key) else { return nil }
        let value = line[range.upperBound...].prefix { $0 != " " }
        return value.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Waits until `sql` returns `expected`; returns the last value seen.
    @discardableResult
    func waitFor(_ sql: String, toBe expected: String, timeout: Duration = .seconds(120)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await self.query(sql)) ?? "(query failed)"
            if last == expected { return last }
            try await Task.sleep(for: .milliseconds(250))
        }
        return last
    }

    /// `pg_ctl` as the user that owns the cluster.
    func pgCtl(_ arguments: [String]) async throws {
        let pgCtl = try EmbeddedCluster.binDirectory() + "/pg_ctl"
        let all = arguments + ["-D", self.dataDirectory + "/postgres"]
        let result = getuid() == 0
            ? try await TestProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", pgCtl] + all)
            : try await TestProcess.run(pgCtl, all)
        try #require(result.status == 0, "pg_ctl \(arguments): \(result.standardError)")
    }

    /// Kills the server the way a crash does: commits not yet flushed to WAL are lost.
    func crashPostgreSQL() async throws {
        try await self.pgCtl(["stop", "-m", "immediate", "-w"])
    }

    /// Sends `signal` to the postmaster and all its children (SIGSTOP: a hung server).
    func signalPostgreSQL(_ signal: Int32) throws {
        let pidFile = try String(contentsOfFile: self.dataDirectory + "/postgres/postmaster.pid", encoding: .utf8)
        let postmaster = try #require(pidFile.split(separator: "\n").first.flatMap { pid_t($0) })
        var pids = [postmaster]
        let children = try String(contentsOfFile: "/proc/\(postmaster)/task/\(postmaster)/children", encoding: .utf8)
        pids += children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        for pid in pids { kill(pid, signal) }
    }

    /// Status line and body of a GET on the admin port, and how long it took.
    func admin(_ path: String, port: Int) async throws -> (response: String, elapsed: Duration) {
        let start = ContinuousClock.now
        let response = try await Task.detached { try HTTPProbe.get(path, port: port) }.value
        return (response, ContinuousClock.now - start)
    }
}

/// Sends bytes over TCP from a chosen loopback source address (sites tell PBXs apart by it).
enum LoopbackSender {
    struct Failure: Error { var message: String }

    static func send(_ bytes: [UInt8], to port: Int, from source: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(message: "socket") }
        defer { close(fd) }
        func address(_ host: String, _ port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr(host)
            return address
        }
        func withSockaddr<T>(_ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
            withUnsafePointer(to: address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
        }
        guard withSockaddr(address(source, 0), { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }) == 0 else {
            throw Failure(message: "bind \(source)")
        }
        guard withSockaddr(address("127.0.0.1", port), { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }) == 0 else {
            throw Failure(message: "connect to port \(port)")
        }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure(message: "send") }
            sent += count
        }
        shutdown(fd, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 64)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}  // until the collector closes: all is journaled
    }
}
