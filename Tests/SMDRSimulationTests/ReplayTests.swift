import Logging
import NIOCore
import NIOPosix
import SMDRCore
import SMDRListener
import SMDRSimulation
import SMDRTestSupport
import Synchronization
import Testing


@Suite(.timeLimit(.minutes(1)))
struct ReplayTests {
    /// A capture holding `text`, read in chunks of 4 KiB (so lines straddle chunks), as
    /// `smdr replay` reads a file.
    private func source(_ text: String) -> Replayer.Source {
        let bytes = Array(text.utf8)
        return {
            let offset = LockedBox(0)
            return {
                let start = offset.current
                let end = min(start + 4096, bytes.count)
                offset.set(end)
                return Array(bytes[start..<end])
            }
        }
    }

    private func capture(_ count: Int, tag: String = "R") -> (text: String, lines: [String]) {
        let lines = (0..<count).map { smdrLine(tag, $0) }
        // Mixed terminators, NULs and a final line without terminator, as real captures have.
        var text = ""
        for (index, line) in lines.enumerated() {
            text += line + (index == count - 1 ? "" : index % 3 == 0 ? "\r\n" : index % 3 == 1 ? "\n" : "\0\r\n")
        }
        return (text, lines)
    }

    @Test func replaysAFileIntoTheListenerOverSeveralSplitConnections() async throws {
        let (text, lines) = self.capture(1200)
        let capture = self.source(text)
        try await ListenerHarness.run { harness in
            var configuration = ReplayConfiguration()
            configuration.connections = 4
            configuration.splitsWrites = true
            let replayer = Replayer(name: "capture.txt", open: capture, configuration: configuration, logger: testLogger())
            let summary = try await replayer.send(to: Endpoint(host: "127.0.0.1", port: harness.address.port!))
            #expect(summary.lines == 1200)
            #expect(summary.bytes == lines.reduce(0) { $0 + $1.utf8.count + 2 })
            try await harness.waitForLines("hq", count: 1200)
            let journaled = try await harness.lines("hq")
            #expect(journaled.count == 1200)
            #expect(Set(journaled) == Set(lines), "every line exactly once")
            // Round-robin: connection k got lines k, k+4, …, each in order.
            for connection in 0..<4 {
                let own = stride(from: connection, to: 1200, by: 4).map { lines[$0] }
                expectSameLines(journaled.filter { Set(own).contains($0) }, own)
            }
            try await eventually { harness.observability.count { if case .closed(_, _, .peerClosed, 300) = $0 { true } else { false } } == 4 }
        }
    }

    @Test func actsAsAListenModePBXForTheListenersConnectMode() async throws {
        let (text, lines) = self.capture(500, tag: "L")
        let capture = self.source(text)
        let replayer = Replayer(name: "capture.txt", open: capture, logger: testLogger())
        let bound = LockedBox<Endpoint?>(nil)
        try await withThrowingTaskGroup(of: ReplaySummary.self) { group in
            group.addTask {
                try await replayer.serve(on: Endpoint(host: "127.0.0.1", port: 0)) { endpoint in bound.set(endpoint) }
            }
            try await eventually { bound.current != nil }
            let endpoint = try #require(bound.current)
            try await ListenerHarness.run(sites: [("pbx", [])], listener: { configuration in
                configuration.listen = []
                configuration.connect = [ConnectTarget(endpoint: endpoint, site: "pbx")]
                configuration.reconnectBackoff = Backoff(initial: .milliseconds(50), maximum: .seconds(1), jitter: 0.2)
            }) { harness in
                try await harness.waitForLines("pbx", count: 500)
                expectSameLines(try await harness.lines("pbx"), lines)
            }
            let summary = try #require(try await group.next())
            #expect(summary.lines == 500)
        }
    }

    @Test func theRateLimitSpacesTheLines() async throws {
        let capture = self.source(self.capture(40).text)
        try await ListenerHarness.run { harness in
            var configuration = ReplayConfiguration()
            configuration.linesPerSecond = 100
            configuration.connections = 2
            let summary = try await Replayer(name: "capture.txt", open: capture, configuration: configuration, logger: testLogger())
                .send(to: Endpoint(host: "127.0.0.1", port: harness.address.port!))
            #expect(summary.lines == 40)
            #expect(summary.duration >= .milliseconds(350), "40 lines at 100/s take about 0.4 s, took \(summary.duration)")
            try await harness.waitForLines("hq", count: 40)
        }
    }

    @Test func aRefusedConnectionNamesTheAddress() async throws {
        let capture = self.source("a line\r\n")
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = probe.localAddress!.port!
        try await probe.close().get()
        let replayer = Replayer(name: "capture.txt", open: capture, logger: testLogger())
        let error = await #expect(throws: ReplayError.self) { _ = try await replayer.send(to: Endpoint(host: "127.0.0.1", port: port)) }
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(error?.description.lowercased().contains("refused") == true)
    }
}
