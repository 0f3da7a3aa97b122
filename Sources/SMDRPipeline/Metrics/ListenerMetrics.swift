import Logging
import NIOCore
import SMDRJournal
import SMDRListener

/// Maps the listener's and journals' events to ``PipelineMetrics`` and logs the ones a person
/// must see.
struct ListenerMetrics: ListenerObservabilityDelegate {
    let metrics: PipelineMetrics
    let depth: JournalDepth
    let logger: Logger

    func connectionOpened(site: String, peer: SocketAddress?, direction: ConnectionDirection) {
        self.metrics.connectionOpened(mode: direction == .inbound ? "listen" : "connect")
    }

    func connectionClosed(
        site: String, peer: SocketAddress?, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int
    ) {
        self.metrics.connectionClosed()
    }

    func connectionRefused(peer: SocketAddress?, reason: ConnectionRefusalReason) {
        self.metrics.connectionRefused(reason: reason.description)
    }

    func bytesReceived(site: String, count: Int) {
        self.metrics.bytesReceived(count, site: site)
    }

    func linesJournaled(site: String, count: Int, bytes: Int, duration: Duration) {
        self.metrics.linesJournaled(count, site: site, at: Double(JournalTimestamp.now().microsecondsSince1970) / 1e6)
        self.depth.journaled(lines: count, site: site, metrics: self.metrics)
    }

    func journalBackpressureStarted(site: String) {
        self.metrics.journalFull(true, site: site)
        self.logger.warning("journal full: reading from PBX sockets paused", metadata: ["smdr.site": "\(site)"])
    }

    func journalBackpressureEnded(site: String) {
        self.metrics.journalFull(false, site: site)
        self.logger.notice("journal has room again: reading from PBX sockets resumed", metadata: ["smdr.site": "\(site)"])
    }

    func journalDepthChanged(site: String, retainedBytes: Int64) {
        self.metrics.journalRetainedBytes(retainedBytes, site: site)
    }
}
