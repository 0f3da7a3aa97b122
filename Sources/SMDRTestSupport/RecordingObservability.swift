package import NIOCore
import SMDRJournal
package import SMDRListener
import Synchronization

/// Records every observability event, for assertions.
package final class RecordingObservability: ListenerObservabilityDelegate {
    package enum Event: Hashable, Sendable {
        case opened(site: String, direction: ConnectionDirection)
        case closed(site: String, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int)
        case refused(reason: ConnectionRefusalReason)
        case connectFailed(site: String)
        case truncated(site: String)
        case journaled(site: String, count: Int)
        case backpressureStarted(site: String)
        case backpressureEnded(site: String)
        case tailTruncated(site: String, bytes: Int64)
    }

    private let recorded = Mutex<[Event]>([])
    private let bytes = Mutex<Int>(0)

    package init() {}

    package var events: [Event] { self.recorded.withLock { $0 } }
    package var bytesReceived: Int { self.bytes.withLock { $0 } }

    package var commits: [Int] {
        self.events.compactMap { if case .journaled(_, let count) = $0 { return count } else { return nil } }
    }

    package func count(where predicate: (Event) -> Bool) -> Int { self.events.filter(predicate).count }

    private func record(_ event: Event) { self.recorded.withLock { $0.append(event) } }

    package func connectionOpened(site: String, peer: SocketAddress?, direction: ConnectionDirection) {
        self.record(.opened(site: site, direction: direction))
    }
    package func connectionClosed(site: String, peer: SocketAddress?, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int) {
        self.record(.closed(site: site, direction: direction, reason: reason, lines: lines))
    }
    package func connectionRefused(peer: SocketAddress?, reason: ConnectionRefusalReason) { self.record(.refused(reason: reason)) }
    package func connectFailed(site: String, target: Endpoint, retryDelay: Duration) { self.record(.connectFailed(site: site)) }
    package func bytesReceived(site: String, count: Int) { self.bytes.withLock { $0 += count } }
    package func lineTruncated(site: String) { self.record(.truncated(site: site)) }
    package func linesJournaled(site: String, count: Int, bytes: Int, duration: Duration) { self.record(.journaled(site: site, count: count)) }
    package func journalBackpressureStarted(site: String) { self.record(.backpressureStarted(site: site)) }
    package func journalBackpressureEnded(site: String) { self.record(.backpressureEnded(site: site)) }
    package func journalTailTruncated(site: String, bytes: Int64) { self.record(.tailTruncated(site: site, bytes: bytes)) }
}
