import Logging
package import NIOCore
import NIOPosix
import SMDRCore
package import SMDRJournal
package import SMDRListener
package import ServiceLifecycle
import Synchronization
import Testing

/// A running listener with its journals, inside a real `ServiceGroup`, on loopback.
package struct ListenerHarness: Sendable {
    package let journals: [String: Journal]
    package let listener: Listener
    package let addresses: [SocketAddress]
    package let observability: RecordingObservability
    package let serviceGroup: ServiceGroup

    package var address: SocketAddress { self.addresses[0] }

    /// Lines journaled so far for `site`, in journal order.
    package func lines(_ site: String) async throws -> [String] {
        try await readAll(self.journals[site]!).map { String(decoding: $0.payload, as: UTF8.self) }
    }

    package func entries(_ site: String) async throws -> [JournalEntry] {
        try await readAll(self.journals[site]!)
    }

    /// Waits until `site` has at least `count` lines.
    package func waitForLines(_ site: String, count: Int, timeout: Duration = .seconds(20)) async throws {
        try await eventually(timeout: timeout) { try await self.lines(site).count >= count }
    }

    /// Starts journals and a listener for `sites` (name → allowed CIDRs), runs `body`, shuts
    /// the group down gracefully, then runs `afterShutdown`.
    package static func run(
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
