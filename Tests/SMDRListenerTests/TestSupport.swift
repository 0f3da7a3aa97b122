import Logging
import NIOCore
import NIOPosix
import SMDRCore
import Synchronization
import Testing

@testable import SMDRListener

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory under the system temp dir, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/smdr-listener-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let result = mkdtemp(buffer.baseAddress!) else { return nil }
        return String(cString: result)
    }
    let directory = try #require(path)
    defer { removeTree(directory) }
    return try await body(directory)
}

func removeTree(_ path: String) {
    if let names = try? POSIX.listDirectory(path) {
        for name in names { removeTree(path + "/" + name) }
        _ = rmdir(path)
    } else {
        _ = unlink(path)
    }
}

func testLogger(_ label: String = "smdr.test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    return logger
}

/// Records every observability event, for assertions.
final class RecordingObservability: ListenerObservabilityDelegate {
    enum Event: Hashable, Sendable {
        case opened(site: String, direction: ConnectionDirection)
        case closed(site: String, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int)
        case refused(reason: ConnectionRefusalReason)
        case connectFailed(site: String)
        case truncated(site: String)
        case journaled(site: String, count: Int)
        case backpressureStarted(site: String)
        case backpressureEnded(site: String)
        case tailTruncated(site: String, bytes: Int64)
    }

    private let recorded = Mutex<[Event]>([])
    private let bytes = Mutex<Int>(0)

    var events: [Event] { self.recorded.withLock { $0 } }
    var bytesReceived: Int { self.bytes.withLock { $0 } }

    var commits: [Int] {
        self.events.compactMap { if case .journaled(_, let count) = $0 { return count } else { return nil } }
    }

    func count(where predicate: (Event) -> Bool) -> Int { self.events.filter(predicate).count }

    private func record(_ event: Event) { self.recorded.withLock { $0.append(event) } }

    func connectionOpened(site: String, peer: SocketAddress?, direction: ConnectionDirection) {
        self.record(.opened(site: site, direction: direction))
    }
    func connectionClosed(site: String, peer: SocketAddress?, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int) {
        self.record(.closed(site: site, direction: direction, reason: reason, lines: lines))
    }
    func connectionRefused(peer: SocketAddress?, reason: ConnectionRefusalReason) { self.record(.refused(reason: reason)) }
    func connectFailed(site: String, target: Endpoint, retryDelay: Duration) { self.record(.connectFailed(site: site)) }
    func bytesReceived(site: String, count: Int) { self.bytes.withLock { $0 += count } }
    func lineTruncated(site: String) { self.record(.truncated(site: site)) }
    func linesJournaled(site: String, count: Int, bytes: Int, duration: Duration) { self.record(.journaled(site: site, count: count)) }
    func journalBackpressureStarted(site: String) { self.record(.backpressureStarted(site: site)) }
    func journalBackpressureEnded(site: String) { self.record(.backpressureEnded(site: site)) }
    func journalTailTruncated(site: String, bytes: Int64) { self.record(.tailTruncated(site: site, bytes: bytes)) }
}

/// Runs the journal's writer around `body`, then stops it (flushing what is queued).
func withRunningJournal<T: Sendable>(_ journal: Journal, _ body: (Journal) async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await journal.run() }
        let result = try await body(journal)
        group.cancelAll()
        try await group.waitForAll()
        return result
    }
}

/// Reads every durable entry from `offset` to the end.
func readAll(_ journal: Journal, from offset: Int64? = nil, maximumCount: Int = 1000) async throws -> [JournalEntry] {
    var entries: [JournalEntry] = []
    var position = offset ?? journal.startOffset
    while true {
        let batch = try await journal.read(from: position, maximumCount: maximumCount)
        if batch.entries.isEmpty { return entries }
        entries += batch.entries
        position = batch.nextOffset
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
}

func line(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A plausible 30-field SMDR record, unique per `(tag, number)`.
func smdrLine(_ tag: String, _ number: Int) -> String {
    "2024/05/21 09:\(String(format2: number / 60 % 60)):\(String(format2: number % 60)),00:01:02,3,\(tag)\(number),O,0123456789,0123456789,ACCT,0,\(1_000_000 + number),0,E201,Extn201,T9001,Line 1.0,0,0,,,,,,,,,,,U,Extn201,,"
}

extension String {
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}

/// Compares two long line lists and reports only the first difference (never the whole lists).
func expectSameLines(_ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let index = Array(zip(actual, expected)).firstIndex { $0.0 != $0.1 } ?? min(actual.count, expected.count)
    let got = index < actual.count ? actual[index] : "<none>"
    let want = index < expected.count ? expected[index] : "<none>"
    Issue.record("\(actual.count) lines, expected \(expected.count); first difference at \(index): got \"\(got.prefix(80))\", expected \"\(want.prefix(80))\"",
                 sourceLocation: sourceLocation)
}

/// A value shared between tasks.
final class LockedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    var current: Value { self.value.withLock { $0 } }
    func set(_ value: Value) { self.value.withLock { $0 = value } }
}

extension ListenerConfiguration {
    /// The limits every listener test starts from (each test changes what it is about).
    static var forTests: ListenerConfiguration {
        ListenerConfiguration(
            maximumConnections: 256,
            maximumLineLength: LineFramer.defaultMaximumLineLength,
            idleTimeout: .seconds(7 * 24 * 3600),
            readBufferSize: 65536,
            maximumBufferedLines: 256,
            connectTimeout: .seconds(10),
            reconnectMaximumDelay: .seconds(60),
            shutdownGracePeriod: .seconds(10)
        )
    }
}

extension Journal.Configuration {
    /// The journal settings every journal and listener test starts from.
    static var forTests: Journal.Configuration {
        Journal.Configuration(
            segmentSize: 64 << 20, maximumBytes: 1 << 30, flushInterval: .milliseconds(50), flushLines: 1000, releaseMode: .delete
        )
    }
}
