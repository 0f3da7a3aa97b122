import Foundation
import Logging
import SMDRPostgres
import ServiceLifecycle

/// `smdr serve`'s rater: every ``interval``, matches and rates what is new (`smdr rate`), on a
/// store of its own, so the loaders' connections never wait for it and a long run is not cut
/// short by their statement timeout. A failed run is logged and tried again at the next tick;
/// on shutdown the sleep ends at once and a run in progress finishes first.
final class RatingService: Service, Sendable {
    private let interval: Duration
    private let store: PostgresStore
    private let callIdleSeconds: Int
    private let logger: Logger

    /// - Parameter connection: how to connect (its statement timeout is dropped).
    init(interval: Duration, connection: PostgresConnection.Configuration, callIdleSeconds: Int = MatchRun.defaultCallIdleSeconds, logger: Logger) {
        var connection = connection
        connection.statementTimeout = nil
        var configuration = PostgresStore.Configuration(connection: connection)
        configuration.maximumConnections = 2  // one matches and writes, one reads the next month ahead
        self.interval = interval
        self.store = PostgresStore(configuration: configuration)
        self.callIdleSeconds = callIdleSeconds
        self.logger = logger
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await self.rateOnce()
        }
        try? await self.store.close()
    }

    /// One `smdr rate`, logged.
    func rateOnce() async {
        let run = RateRun(kind: .rate, callIdleSeconds: self.callIdleSeconds, holder: RateRun.defaultHolder + " (serve)")
        do {
            let summary = try await run.run(in: self.store, nowEpoch: Int(Date().timeIntervalSince1970))
            if let busy = summary.busy {
                self.logger.info("rating skipped: another run holds the lease", metadata: ["smdr.rating.holder": "\(busy)"])
            } else if !summary.closedChanges.isEmpty {
                self.logger.warning(
                    "calls of a closed month changed; it was left as it is (smdr period reopen, then smdr rate --rerate)",
                    metadata: ["smdr.rating.clients": "\(Set(summary.closedChanges.map(\.clientID)).sorted().joined(separator: ","))"]
                )
            }
            if summary.busy == nil, summary.changedDays > 0 {
                self.logger.info(
                    "rated",
                    metadata: [
                        "smdr.rating.run": "\(summary.run.map(String.init) ?? "-")", "smdr.rating.days": "\(summary.changedDays)",
                        "smdr.rating.charges": "\(summary.charges)", "smdr.rating.unrated": "\(summary.unratedCount)",
                    ]
                )
            } else if summary.busy == nil {
                self.logger.debug("rating: no change")
            }
        } catch {
            self.logger.warning("rating run failed; trying again at the next interval", metadata: ["error": "\(error)"])
        }
    }
}
