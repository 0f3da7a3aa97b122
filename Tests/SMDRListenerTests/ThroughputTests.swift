import NIOCore
import SMDRJournal
import SMDRSimulation
import SMDRTestSupport
import Synchronization
import Testing

@testable import SMDRListener

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opt-in load measurement:
/// `SMDR_LISTENER_THROUGHPUT=200000 swift test -c release -Xswiftc -enable-testing --no-parallel --filter ThroughputTests`.
/// Replays N lines over loopback into the listener and its journal (default group commit)
/// and prints lines/s from the first byte sent to the last line durable.
@Suite(.timeLimit(.minutes(5)))
struct ThroughputTests {
    static var lineCount: Int? {
        getenv("SMDR_LISTENER_THROUGHPUT").flatMap { Int(String(cString: $0)) }
    }

    @Test(.enabled(if: Self.lineCount != nil), arguments: [1, 4])
    func replayIntoListenerAndJournal(connections: Int) async throws {
        let count = Self.lineCount!
        var text: [UInt8] = []
        for number in 0..<count { text += Array((smdrLine("T", number) + "\r\n").utf8) }
        let bytes = text
        let capture: Replayer.Source = {
            let offset = Mutex(0)
            return {
                offset.withLock { start in
                    let end = min(start + (256 << 10), bytes.count)
                    defer { start = end }
                    return Array(bytes[start..<end])
                }
            }
        }
        try await ListenerHarness.run(journal: { $0.flushInterval = .milliseconds(50) }) { harness in
            var configuration = ReplayConfiguration()
            configuration.connections = connections
            let started = ContinuousClock.now
            let summary = try await Replayer(name: "load.txt", open: capture, configuration: configuration, logger: testLogger())
                .send(to: Endpoint(host: "127.0.0.1", port: harness.address.port!))
            let journal = harness.journals["hq"]!
            try await eventually(timeout: .seconds(120)) { journal.endOffset >= Int64(text.count) }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let commits = harness.observability.commits
            print("THROUGHPUT connections=\(connections) lines=\(count) bytes=\(text.count) replay=[\(summary)] durable_after=\(elapsed) lines_per_s=\(Int(Double(count) / seconds)) commits=\(commits.count)")
            #expect(try await readAll(journal, maximumCount: 10_000).count == count)
        }
    }
}
