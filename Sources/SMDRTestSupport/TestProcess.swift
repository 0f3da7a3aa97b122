import Foundation

/// A real child process for end-to-end tests: the `smdr` binary under test, `psql`, `pg_ctl`.
///
/// Standard output and error go to files (never pipes, which block a chatty child), so a test can
/// wait for a line to appear, send signals (`kill -9` included), and read everything afterwards.
public final class TestProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched from the thread that calls the methods of one test.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let process = Process()
    public let standardOutputPath: String
    public let standardErrorPath: String
    public let commandLine: String

    /// The `smdr` executable built next to the test bundle (`.build/<configuration>/smdr`).
    public static var smdrExecutable: String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidate = bundleDirectory.appendingPathComponent("smdr").path
        // On some platforms the runner sits inside a `.xctest` bundle directory.
        if !FileManager.default.isExecutableFile(atPath: candidate) {
            candidate = bundleDirectory.deletingLastPathComponent().appendingPathComponent("smdr").path
        }
        return candidate
    }

    /// Starts `executable` with `arguments`; `environment` entries are added to (or, with `nil`
    /// values, removed from) the current environment.
    public init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String?] = [:],
        standardInputPath: String? = nil
    ) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.standardOutputPath = directory.appendingPathComponent("stdout").path
        self.standardErrorPath = directory.appendingPathComponent("stderr").path
        _ = FileManager.default.createFile(atPath: self.standardOutputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: self.standardErrorPath, contents: nil)
        self.commandLine = ([executable] + arguments).joined(separator: " ")

        self.process.executableURL = URL(fileURLWithPath: executable)
        self.process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        self.process.environment = merged
        self.process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: self.standardOutputPath))
        self.process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: self.standardErrorPath))
        if let standardInputPath {
            self.process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: standardInputPath))
        } else {
            self.process.standardInput = FileHandle.nullDevice
        }
        try self.process.run()
    }

    public var processIdentifier: Int32 { self.process.processIdentifier }
    public var isRunning: Bool { self.exitStatus() == nil }

    private var reapedStatus: Int32?

    /// The exit status (or the number of the signal that ended it), `nil` while it runs.
    ///
    /// Reaps the child itself with `waitpid(WNOHANG)`: Foundation's `Process` on Linux can miss
    /// the exit of a child that exits while its own child (a daemon it started) lives on, and
    /// then reports it running forever.
    private func exitStatus() -> Int32? {
        if let reapedStatus { return reapedStatus }
        var status: Int32 = 0
        let result = waitpid(self.process.processIdentifier, &status, WNOHANG)
        if result == self.process.processIdentifier {
            let signal = status & 0x7F
            self.reapedStatus = signal == 0 ? (status >> 8) & 0xFF : signal
            return self.reapedStatus
        }
        if result < 0, !self.process.isRunning {  // Foundation reaped it first
            self.reapedStatus = self.process.terminationStatus
            return self.reapedStatus
        }
        return nil
    }

    public var standardOutput: String { (try? String(contentsOfFile: self.standardOutputPath, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOfFile: self.standardErrorPath, encoding: .utf8)) ?? "" }

    /// Sends a signal (`SIGKILL`, `SIGTERM`, …).
    public func signal(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits until standard error (or output) contains `text`; fails if the process exits first.
    @discardableResult
    public func waitForOutput(
        containing text: String,
        inStandardOutput: Bool = false,
        timeout: Duration = .seconds(30)
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = inStandardOutput ? self.standardOutput : self.standardError
            if output.contains(text) { return output }
            if !self.isRunning {
                let output = inStandardOutput ? self.standardOutput : self.standardError
                if output.contains(text) { return output }
                throw Failure(description: "\(self.commandLine) exited (\(self.exitStatus() ?? -1)) before printing '\(text)'; stderr:\n\(self.standardError)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Failure(description: "\(self.commandLine) did not print '\(text)' within \(timeout); stderr:\n\(self.standardError)")
    }

    /// Waits for the process to exit and returns its status; kills it and fails after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while self.isRunning {
            if ContinuousClock.now >= deadline {
                self.signal(SIGKILL)
                throw Failure(description: "\(self.commandLine) still running after \(timeout); stderr:\n\(self.standardError)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.exitStatus() ?? -1
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String?] = [:],
        standardInputPath: String? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> (status: Int32, standardOutput: String, standardError: String) {
        let child = try TestProcess(executable, arguments, environment: environment, standardInputPath: standardInputPath)
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.standardOutput, child.standardError)
    }

    /// Runs a command to completion, blocking the calling thread (for `defer` clean-ups).
    @discardableResult
    public static func runBlocking(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String?] = [:]
    ) throws -> Int32 {
        let child = try TestProcess(executable, arguments, environment: environment)
        while child.isRunning { usleep(20_000) }
        return child.exitStatus() ?? -1
    }

    deinit {
        if self.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            _ = self.exitStatus()
        }
    }
}
