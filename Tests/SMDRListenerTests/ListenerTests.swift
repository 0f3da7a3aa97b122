import Logging
import NIOCore
import NIOPosix
import SMDRCore
import SMDRJournal
import SMDRSimulation
import SMDRTestSupport
import ServiceLifecycle
import Synchronization
import Testing

@testable import SMDRListener

@Suite(.timeLimit(.minutes(1)))
struct ListenerTests {
    @Test func manyConcurrentConnectionsJournalEveryLineOnceUnderTheRightSite() async throws {
        let connectionsPerSite = 8
        let linesPerConnection = 150
        try await ListenerHarness.run(sites: [("hq", ["127.0.0.1"]), ("branch", ["127.0.0.2/32"])]) { harness in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (site, source) in [("hq", "127.0.0.1"), ("branch", "127.0.0.2")] {
                    for connection in 0..<connectionsPerSite {
                        group.addTask {
                            let client = try await TestClient.connect(to: harness.address, from: source)
                            var generator = SplitMix64(seed: UInt64(connection))
                            for number in 0..<linesPerConnection {
                                try await client.sendSplit(smdrLine("\(site)-\(connection)-", number) + "\r\n", using: &generator)
                            }
                            try await client.close()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = connectionsPerSite * linesPerConnection
            try await harness.waitForLines("hq", count: expected)
            try await harness.waitForLines("branch", count: expected)
            for site in ["hq", "branch"] {
                let lines = try await harness.lines(site)
                #expect(lines.count == expected, "\(site): exactly once")
                #expect(Set(lines).count == expected)
                for connection in 0..<connectionsPerSite {
                    let own = lines.filter { $0.contains(",\(site)-\(connection)-") }
                    expectSameLines(own, (0..<linesPerConnection).map { smdrLine("\(site)-\(connection)-", $0) })
                }
            }
            try await eventually {
                harness.observability.count { if case .closed(_, .inbound, .peerClosed, linesPerConnection) = $0 { true } else { false } }
                    == 2 * connectionsPerSite
            }
            #expect(harness.observability.bytesReceived > 2 * expected * 100)
        }
    }

    @Test func aPeerOutsideEverySiteIsRefusedAndCounted() async throws {
        try await ListenerHarness.run(sites: [("hq", ["127.0.0.1/32"])]) { harness in
            let stranger = try await TestClient.connect(to: harness.address, from: "127.0.0.3")
            try? await stranger.send("2024/01/01 00:00:00,should not be journaled\r\n")
            try await stranger.waitUntilClosed()
            let friend = try await TestClient.connect(to: harness.address)
            try await friend.send("accepted line\r\n")
            try await harness.waitForLines("hq", count: 1)
            #expect(try await harness.lines("hq") == ["accepted line"])
            #expect(harness.observability.events.contains(.refused(reason: .unknownPeer)))
            #expect(friend.isOpen)
        }
    }

    @Test func maximumConnectionsIsEnforcedAndFreedSlotsAreReused() async throws {
        try await ListenerHarness.run(listener: { $0.maximumConnections = 2 }) { harness in
            let first = try await TestClient.connect(to: harness.address)
            let second = try await TestClient.connect(to: harness.address)
            try await first.send("one\r\n")
            try await second.send("two\r\n")
            try await harness.waitForLines("hq", count: 2)
            let third = try await TestClient.connect(to: harness.address)
            try? await third.send("three\r\n")
            try await third.waitUntilClosed()
            #expect(harness.observability.events.contains(.refused(reason: .tooManyConnections)))
            try await first.close()
            try await eventually { harness.observability.count { if case .closed = $0 { true } else { false } } == 1 }
            let fourth = try await TestClient.connect(to: harness.address)
            try await fourth.send("four\r\n")
            try await harness.waitForLines("hq", count: 3)
            #expect(Set(try await harness.lines("hq")) == ["one", "two", "four"])
            #expect(second.isOpen && fourth.isOpen)
        }
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await ListenerHarness.run(listener: { $0.idleTimeout = .milliseconds(300) }) { harness in
            let client = try await TestClient.connect(to: harness.address)
            let started = ContinuousClock.now
            try await client.send("before idling\r\n")
            try await client.waitUntilClosed(timeout: .seconds(10))
            #expect(ContinuousClock.now - started >= .milliseconds(250))
            #expect(try await harness.lines("hq") == ["before idling"])
            try await eventually {
                harness.observability.events.contains(.closed(site: "hq", direction: .inbound, reason: .idleTimeout, lines: 1))
            }
        }
    }

    @Test func anOverlongLineIsJournaledTruncatedAndTheConnectionStaysUp() async throws {
        try await ListenerHarness.run(listener: { $0.maximumLineLength = 32 }) { harness in
            let client = try await TestClient.connect(to: harness.address)
            try await client.send(String(repeating: "L", count: 100) + "\r\nshort\r\n")
            try await harness.waitForLines("hq", count: 2)
            try await client.send("still connected\r\n")
            try await harness.waitForLines("hq", count: 3)
            let entries = try await harness.entries("hq")
            #expect(entries.map(\.payload.count) == [32, 5, 15])
            #expect(entries.map(\.isTruncated) == [true, false, false])
            #expect(harness.observability.events.contains(.truncated(site: "hq")))
            #expect(client.isOpen)
        }
    }

    @Test func aFinalLineWithoutTerminatorIsKeptWhenThePeerCloses() async throws {
        try await ListenerHarness.run { harness in
            let client = try await TestClient.connect(to: harness.address)
            try await client.send("\0\0complete\r\n\0partial record")
            try await client.close()
            try await harness.waitForLines("hq", count: 2)
            #expect(try await harness.lines("hq") == ["complete", "partial record"])
        }
    }

    @Test func slowlorisAndGarbageDoNotDisturbAWellBehavedConnection() async throws {
        try await ListenerHarness.run(listener: { $0.maximumLineLength = 512 }) { harness in
            let slow = try await TestClient.connect(to: harness.address)
            let garbage = try await TestClient.connect(to: harness.address)
            let good = try await TestClient.connect(to: harness.address)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // One byte every 10 ms, never a newline.
                    for _ in 0..<100 {
                        try await slow.send("s")
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
                group.addTask {
                    // 2 MiB of random bytes without any line terminator.
                    var generator = SplitMix64(seed: 42)
                    for _ in 0..<32 {
                        let chunk = (0..<65536).map { _ in
                            let byte = UInt8.random(in: 0...255, using: &generator)
                            return byte == 10 || byte == 13 ? 0x20 : byte
                        }
                        try await garbage.send(chunk)
                    }
                }
                group.addTask {
                    for number in 0..<500 { try await good.send(smdrLine("G", number) + "\r\n") }
                }
                try await group.waitForAll()
            }
            try await harness.waitForLines("hq", count: 500)
            expectSameLines(try await harness.lines("hq"), (0..<500).map { smdrLine("G", $0) })
            #expect(slow.isOpen && garbage.isOpen && good.isOpen)
            // The never-terminated garbage is kept, bounded, when its connection closes.
            try await garbage.close()
            try await harness.waitForLines("hq", count: 501)
            let last = try #require(try await harness.entries("hq").last)
            #expect(last.isTruncated && last.payload.count == 512)
        }
    }

    @Test func gracefulShutdownJournalsEverythingAlreadySent() async throws {
        let client = Mutex<TestClient?>(nil)
        let count = 2000
        try await ListenerHarness.run(
            journal: { $0.flushInterval = .milliseconds(50) },
            { harness in
                let connected = try await TestClient.connect(to: harness.address)
                client.withLock { $0 = connected }
                var payload = ""
                for number in 0..<count { payload += smdrLine("D", number) + "\r\n" }
                try await eventually { harness.observability.events.contains(.opened(site: "hq", direction: .inbound)) }
                try await connected.send(payload + "final line without terminator")
                // Shutdown starts right away, while those lines are still in socket buffers.
            },
            afterShutdown: { harness in
                let lines = try await harness.lines("hq")
                expectSameLines(lines, (0..<count).map { smdrLine("D", $0) } + ["final line without terminator"])
                #expect(harness.observability.events.contains(.closed(site: "hq", direction: .inbound, reason: .shutdown, lines: count + 1)))
                #expect(!(client.withLock { $0 }!.isOpen))
                await #expect(throws: (any Error).self) { _ = try await TestClient.connect(to: harness.address) }
            }
        )
    }

    @Test func aFullJournalPausesReadingUntilTheLoaderReleases() async throws {
        let count = 400
        try await ListenerHarness.run(
            journal: {
                $0.segmentSize = 4096
                $0.maximumBytes = 8192
            },
            listener: { $0.maximumBufferedLines = 8 }
        ) { harness in
            let journal = harness.journals["hq"]!
            let client = try await TestClient.connect(to: harness.address)
            let sender = Task {
                for number in 0..<count { try await client.send(smdrLine("P", number) + "\r\n") }
            }
            try await eventually { harness.observability.events.contains(.backpressureStarted(site: "hq")) }
            #expect(journal.retainedBytes <= 8192)
            // A loader: read what is durable, then release it.
            var offset = journal.startOffset
            var received: [String] = []
            while received.count < count {
                let batch = try await journal.read(from: offset)
                if batch.entries.isEmpty {
                    try await journal.waitForEntries(after: offset)
                    continue
                }
                received += batch.entries.map { String(decoding: $0.payload, as: UTF8.self) }
                offset = batch.nextOffset
                try await journal.release(upTo: offset)
            }
            try await sender.value
            expectSameLines(received, (0..<count).map { smdrLine("P", $0) })
            #expect(harness.observability.events.contains(.backpressureEnded(site: "hq")))
        }
    }

    @Test func listensOnSeveralAddressesIncludingIPv6() async throws {
        try await ListenerHarness.run(
            sites: [("hq", ["127.0.0.1", "::1"])],
            listener: { $0.listen = [Endpoint(host: "127.0.0.1", port: 0), Endpoint(host: "::1", port: 0)] }
        ) { harness in
            #expect(harness.addresses.count == 2)
            for address in harness.addresses {
                let client = try await TestClient.connect(to: address)
                try await client.send("via \(address.protocol == .inet6 ? "v6" : "v4")\r\n")
                try await client.close()
            }
            try await harness.waitForLines("hq", count: 2)
            #expect(Set(try await harness.lines("hq")) == ["via v4", "via v6"])
        }
    }

    @Test func anAddressInUseFailsWithAClearError() async throws {
        try await ListenerHarness.run { harness in
            let port = harness.address.port!
            var configuration = ListenerConfiguration.forTests
            configuration.listen = [Endpoint(host: "127.0.0.1", port: port)]
            let second = try Listener(configuration: configuration, journals: [:], logger: testLogger())
            let error = await #expect(throws: BindError.self) { try await second.run() }
            #expect(error?.endpoint == Endpoint(host: "127.0.0.1", port: port))
            #expect(error?.description == "cannot listen on 127.0.0.1:\(port): address already in use")
            await #expect(throws: (any Error).self) { _ = try await second.boundAddresses() }
        }
    }

    @Test func rejectsAConfigurationWithoutAJournalForASite() {
        var configuration = ListenerConfiguration.forTests
        configuration.sites = [Site(name: "hq", timeZone: "UTC")]
        #expect(throws: ListenerConfigurationError.self) { try Listener(configuration: configuration, journals: [:], logger: testLogger()) }
        configuration.sites = []
        configuration.connect = [ConnectTarget(endpoint: Endpoint(host: "127.0.0.1", port: 1), site: "nowhere")]
        #expect(throws: ListenerConfigurationError.self) { try Listener(configuration: configuration, journals: [:], logger: testLogger()) }
    }
}
