import Logging
import NIOCore
import SMDRJournal
import Synchronization

extension Listener {
    var isShuttingDown: Bool { self.state.withLock { $0.isShuttingDown } }

    func beginShutdown() {
        let drain = DrainRequest(
            quiet: TimeAmount(self.configuration.shutdownQuietPeriod),
            deadline: .now() + TimeAmount(self.configuration.shutdownGracePeriod)
        )
        let snapshot = self.state.withLock { state -> ([any Channel], [any Channel], [CheckedContinuation<Void, Never>])? in
            guard !state.isShuttingDown else { return nil }
            state.isShuttingDown = true
            state.drain = drain
            defer { state.sleepers = [:] }
            return (state.servers, Array(state.connections.values), Array(state.sleepers.values))
        }
        guard let (servers, connections, sleepers) = snapshot else { return }
        self.logger.info("Listener shutting down: not accepting; open connections drain",
                         metadata: ["smdr.connections.open": "\(connections.count)"])
        for server in servers { server.close(promise: nil) }
        for connection in connections { connection.pipeline.fireUserInboundEventTriggered(drain) }
        sleepers.forEach { $0.resume() }
    }

    struct ForcedShutdown: Error {}

    /// After shutdown starts, waits the grace period, then lets every journal take the lines
    /// already received over its size limit (connections close at the same moment, after
    /// reading what the kernel holds, so this is bounded by connections × (buffered lines +
    /// one receive buffer)), and gives the connections
    /// ``ListenerConfiguration/shutdownJournalingTimeout`` to journal them. Only a connection
    /// still not done after that (a journal that cannot write) is cancelled.
    func forceCloseAfterGracePeriod() async throws {
        await self.sleepUnlessShuttingDown(for: nil)
        try Task.checkCancellation()
        try await Task.sleep(for: self.configuration.shutdownGracePeriod)
        let open = self.state.withLock { $0.connections.count }
        if open > 0 {
            self.logger.warning(
                "Listener shutdown grace period ran out; lines already received are journaled over the journal limit",
                metadata: ["smdr.connections.open": "\(open)"]
            )
        }
        let connected = self.state.withLock { Array($0.connectionJournals.values) }
        for journal in self.sites.journals + connected { journal.admitOverLimit() }
        try await Task.sleep(for: self.configuration.shutdownJournalingTimeout)
        throw ForcedShutdown()
    }

    /// Sleeps for `duration` (forever if `nil`), returning early on shutdown or cancellation.
    func sleepUnlessShuttingDown(for duration: Duration?) async {
        let id = self.nextSleeperID.wrappingAdd(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = self.state.withLock { state in
                    if state.isShuttingDown || Task.isCancelled { return true }
                    state.sleepers[id] = continuation
                    return false
                }
                if now { return continuation.resume() }
                if let duration {
                    self.eventLoopGroup.any().scheduleTask(in: TimeAmount(duration)) {
                        self.state.withLock { $0.sleepers.removeValue(forKey: id) }?.resume()
                    }
                }
            }
        } onCancel: {
            self.state.withLock { $0.sleepers.removeValue(forKey: id) }?.resume()
        }
    }
}
