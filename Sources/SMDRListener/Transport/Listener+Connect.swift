import Logging
import NIOCore
import NIOPosix
import SMDRCore

extension Listener {
    /// Connect mode: dials `target` (an IP Office in listen mode), reads the connection into
    /// the site's journal until it ends, and dials again after ``ListenerConfiguration/reconnectBackoff``,
    /// until shutdown.
    func connectLoop(_ target: ConnectTarget) async {
        let backoff = self.configuration.reconnectBackoff
        var failures = 0
        var logger = self.logger
        logger[metadataKey: "smdr.connect.target"] = "\(target.endpoint)"
        logger[metadataKey: "smdr.site"] = "\(target.site)"
        while !self.isShuttingDown {
            guard self.sites.journal(for: target.site) != nil else {
                // The site is not served (yet): its list is read again while smdr runs.
                logger.debug("Site not served; not dialling")
                await self.sleepUnlessShuttingDown(for: backoff.initial)
                continue
            }
            let started = ContinuousClock.now
            var connectError: (any Error)? = nil
            do {
                let connection = try await ClientBootstrap(group: self.eventLoopGroup)
                    .connectTimeout(TimeAmount(self.configuration.connectTimeout))
                    .channelOption(.socketOption(.so_keepalive), value: 1)
                    .channelOption(.recvAllocator, value: self.receiveAllocator)
                    .connect(host: target.endpoint.host, port: target.endpoint.port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try self.makeConnection(channel, site: target.site, peer: channel.remoteAddress, direction: .outbound)
                        }
                    }
                logger.info("Connected to PBX")
                let lines = await self.serve(connection)
                if lines > 0 || ContinuousClock.now - started >= self.configuration.healthyConnectionDuration {
                    failures = 0
                }
            } catch {
                connectError = error
            }
            guard !self.isShuttingDown else { break }
            let delay = backoff.delay(afterFailures: failures)
            failures += 1
            if let connectError {
                self.observability.connectFailed(site: target.site, target: target.endpoint, retryDelay: delay)
                logger.warning("Cannot connect to PBX; retrying", metadata: [
                    "error": "\(connectError)", "smdr.connect.retry_in": "\(delay)",
                ])
            } else {
                logger.notice("PBX connection ended; reconnecting", metadata: ["smdr.connect.retry_in": "\(delay)"])
            }
            await self.sleepUnlessShuttingDown(for: delay)
        }
    }
}
