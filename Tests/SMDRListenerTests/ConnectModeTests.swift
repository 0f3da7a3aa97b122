import NIOCore
import NIOPosix
import SMDRCore
import SMDRJournal
import SMDRTestSupport
import Synchronization
import Testing

@testable import SMDRListener

/// A stand-in for an IP Office in listen mode: accepts collectors, sends each one some lines,
/// then hangs up.
final class FakeListenModePBX: Sendable {
    let channel: any Channel
    private final class AcceptLog: Sendable {
        let times = Mutex<[ContinuousClock.Instant]>([])
    }

    private let accepted = AcceptLog()

    /// `lines(k)` is what the k-th connection (from 0) receives before the PBX closes it.
    init(lines: @escaping @Sendable (Int) -> [String]) async throws {
        let accepted = self.accepted
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let index = accepted.times.withLock { list in
                    list.append(.now)
                    return list.count - 1
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SendThenClose(lines: lines(index)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: self.channel.localAddress!.port!) }
    var acceptTimes: [ContinuousClock.Instant] { self.accepted.times.withLock { $0 } }

    func stop() async throws { try await self.channel.close().get() }

    private final class SendThenClose: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let lines: [String]
        init(lines: [String]) { self.lines = lines }

        func channelActive(context: ChannelHandlerContext) {
            let text = self.lines.map { $0 + "\r\n" }.joined()
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
            context.fireChannelActive()
        }
    }
}

@Suite(.timeLimit(.minutes(1)))
struct ConnectModeTests {
    private func connecting(
        to endpoint: Endpoint, backoff: Backoff, healthyConnectionDuration: Duration = .seconds(30)
    ) -> (inout ListenerConfiguration) -> Void {
        { configuration in
            configuration.listen = []
            configuration.connect = [ConnectTarget(endpoint: endpoint, site: "pbx")]
            configuration.reconnectBackoff = backoff
            configuration.healthyConnectionDuration = healthyConnectionDuration
        }
    }

    @Test func reconnectsAfterEachHangUpAndJournalsEveryConnection() async throws {
        let pbx = try await FakeListenModePBX { index in (0..<3).map { smdrLine("C\(index)-", $0) } }
        let backoff = Backoff(initial: .milliseconds(20), maximum: .seconds(2), jitter: 0)
        try await ListenerHarness.run(sites: [("pbx", [])], listener: self.connecting(to: pbx.endpoint, backoff: backoff)) { harness in
            try await harness.waitForLines("pbx", count: 15)
            let lines = try await harness.lines("pbx")
            let connections = lines.count / 3
            for connection in 0..<connections {
                expectSameLines(lines.filter { $0.contains(",C\(connection)-") }, (0..<3).map { smdrLine("C\(connection)-", $0) })
            }
            #expect(Set(lines).count == lines.count, "no duplicates")
            // Each connection delivered lines, so the backoff restarts at `initial` every time.
            let times = pbx.acceptTimes
            for (earlier, later) in zip(times, times.dropFirst()).prefix(4) {
                #expect(later - earlier < .milliseconds(300), "healthy connections reset the backoff")
            }
            #expect(harness.observability.count { if case .opened(_, .outbound) = $0 { true } else { false } } >= 5)
        }
        try await pbx.stop()
    }

    @Test func theBackoffGrowsToItsCapWhileThePBXHangsUpWithoutData() async throws {
        let pbx = try await FakeListenModePBX { _ in [] }
        let backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(400), jitter: 0)
        try await ListenerHarness.run(
            sites: [("pbx", [])],
            listener: self.connecting(to: pbx.endpoint, backoff: backoff, healthyConnectionDuration: .seconds(30))
        ) { _ in
            try await eventually(timeout: .seconds(20)) { pbx.acceptTimes.count >= 6 }
            let times = pbx.acceptTimes
            let gaps = zip(times, times.dropFirst()).map { $1 - $0 }
            let expected: [Duration] = [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(400)]
            for (gap, minimum) in zip(gaps, expected) {
                #expect(gap >= minimum * 0.9, "gap \(gap) >= \(minimum)")
                #expect(gap < minimum + .seconds(1), "gap \(gap) is about \(minimum)")
            }
        }
        try await pbx.stop()
    }

    @Test func failedDialsAreCountedAndShutdownInterruptsTheBackoff() async throws {
        // A port where nothing listens: bind one, note it, close it.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close().get()
        let backoff = Backoff(initial: .milliseconds(20), maximum: .seconds(30), jitter: 0.5)
        let started = Mutex<ContinuousClock.Instant?>(nil)
        try await ListenerHarness.run(
            sites: [("pbx", [])],
            listener: self.connecting(to: Endpoint(host: "127.0.0.1", port: port), backoff: backoff),
            { harness in
                try await eventually { harness.observability.count { $0 == .connectFailed(site: "pbx") } >= 4 }
                started.withLock { $0 = .now }
            },
            afterShutdown: { _ in
                let elapsed = ContinuousClock.now - started.withLock { $0! }
                #expect(elapsed < .seconds(3), "shutdown does not wait out a backoff delay (\(elapsed))")
            }
        )
    }
}
