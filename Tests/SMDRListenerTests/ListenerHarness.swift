import Logging
import NIOCore
import NIOPosix
import SMDRCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import SMDRListener

/// A running listener with its journals, inside a real `ServiceGroup`, on loopback.
struct ListenerHarness: Sendable {
    let journals: [String: Journal]
    let listener: Listener
    let addresses: [SocketAddress]
    let observability: RecordingObservability
    let serviceGroup: ServiceGroup

    var address: SocketAddress { self.addresses[0] }

    /// Lines journaled so far for `site`, in journal order.
    func lines(_ site: String) async throws -> [String] {
        try await readAll(self.journals[site]!).map { String(decoding: $0.payload, as: UTF8.self) }
    }

    func entries(_ site: String) async throws -> [JournalEntry] {
        try await readAll(self.journals[site]!)
    }

    /// Waits until `site` has at least `count` lines.
    func waitForLines(_ site: String, count: Int, timeout: Duration = .seconds(20)) async throws {
        try await eventually(timeout: timeout) { try await self.lines(site).count >= count }
    }

    /// Starts journals and a listener for `sites` (name → allowed CIDRs), runs `body`, shuts
    /// the group down gracefully, then runs `afterShutdown`.
    static func run(
        sites: [(String, [String])] = [("hq", ["127.0.0.1"])],
        journal configureJournal: (inout Journal.Configuration) -> Void = { _ in },
        listener configureListener: (inout ListenerConfiguration) -> Void = { _ in },
        _ body: (ListenerHarness) async throws -> Void,
        afterShutdown: (ListenerHarness) async throws -> Void = { _ in }
    ) async throws {
        try await withTemporaryDirectory { directory in
            let observability = RecordingObservability()
            var journalConfiguration = Journal.Configuration.forTests
            journalConfiguration.flushInterval = .milliseconds(5)
            configureJournal(&journalConfiguration)
            var journals: [String: Journal] = [:]
            for (name, _) in sites {
                journals[name] = try await Journal.open(
                    directory: Journal.directory(forSite: name, dataDirectory: directory), site: name,
                    configuration: journalConfiguration, logger: testLogger(), observability: observability
                )
            }
            var configuration = ListenerConfiguration.forTests
            configuration.listen = [Endpoint(host: "127.0.0.1", port: 0)]
            configuration.sites = sites.map { Site(name: $0.0, timeZone: "UTC", allowedPeers: $0.1) }
            configuration.shutdownQuietPeriod = .milliseconds(100)
            configuration.shutdownGracePeriod = .seconds(5)
            configureListener(&configuration)
            let listener = try Listener(
                configuration: configuration, journals: journals, logger: testLogger(), observability: observability
            )
            let services: [any Service] = journals.keys.sorted().map { journals[$0]! } + [listener]
            let serviceGroup = ServiceGroup(services: services, logger: testLogger())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await serviceGroup.run() }
                let addresses = try await listener.boundAddresses()
                let harness = ListenerHarness(
                    journals: journals, listener: listener, addresses: addresses,
                    observability: observability, serviceGroup: serviceGroup
                )
                try await body(harness)
                await serviceGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                try await afterShutdown(harness)
            }
        }
    }
}

/// A raw TCP client: a stand-in for a PBX in send mode.
struct TestClient: Sendable {
    let channel: any Channel

    static func connect(to address: SocketAddress, from source: String? = nil) async throws -> TestClient {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        return TestClient(channel: try await bootstrap.connect(to: address).get())
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    /// Sends `text` in pieces cut at random points.
    func sendSplit(_ text: String, using generator: inout some RandomNumberGenerator) async throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let size = Int.random(in: 1...max(1, min(bytes.count, 97)), using: &generator)
            try await self.send(Array(bytes.prefix(size)))
            bytes = bytes.dropFirst(size)
        }
    }

    func close() async throws {
        try await self.channel.close().get()
    }

    var isOpen: Bool { self.channel.isActive }

    /// Waits until the server closes the connection; fails after `timeout`.
    func waitUntilClosed(timeout: Duration = .seconds(10)) async throws {
        try await eventually(timeout: timeout) { !self.channel.isActive }
    }
}
