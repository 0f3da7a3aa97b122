public import NIOCore
public import SMDRJournal

/// Receives the listener's and the journals' events, so the application can count them
/// without this module depending on a metrics backend. The journal's events
/// are declared by ``JournalObservabilityDelegate``, which this protocol refines.
///
/// Every method has an empty default implementation: implement only what you count. Methods
/// are called synchronously from event-loop threads, the journal's writer, or connection
/// tasks: keep them cheap and non-blocking. Peer addresses are given for logging; do not use
/// them as metric dimensions (unbounded cardinality).
public protocol ListenerObservabilityDelegate: JournalObservabilityDelegate {
    /// An inbound (listen mode) or outbound (connect mode) connection started for `site`.
    func connectionOpened(site: String, peer: SocketAddress?, direction: ConnectionDirection)
    /// A connection ended; `lines` were read from it.
    func connectionClosed(site: String, peer: SocketAddress?, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int)
    /// An inbound connection was closed at once without reading from it.
    func connectionRefused(peer: SocketAddress?, reason: ConnectionRefusalReason)
    /// A dial in connect mode failed; the next attempt waits `retryDelay`.
    func connectFailed(site: String, target: Endpoint, retryDelay: Duration)
    /// `count` bytes were read from a socket of `site`.
    func bytesReceived(site: String, count: Int)
    /// A line longer than the limit was received; it is journaled truncated and flagged.
    func lineTruncated(site: String)
}

extension ListenerObservabilityDelegate {
    public func connectionOpened(site: String, peer: SocketAddress?, direction: ConnectionDirection) {}
    public func connectionClosed(site: String, peer: SocketAddress?, direction: ConnectionDirection, reason: ConnectionCloseReason, lines: Int) {}
    public func connectionRefused(peer: SocketAddress?, reason: ConnectionRefusalReason) {}
    public func connectFailed(site: String, target: Endpoint, retryDelay: Duration) {}
    public func bytesReceived(site: String, count: Int) {}
    public func lineTruncated(site: String) {}
}

/// Ignores every event.
public struct NoOpListenerObservability: ListenerObservabilityDelegate {
    public init() {}
}

/// Who opened a connection.
public enum ConnectionDirection: String, Hashable, Sendable {
    /// The PBX connected to us (IP Office *send mode*).
    case inbound
    /// We dialled the PBX (IP Office *listen mode*).
    case outbound
}

/// Why a connection was refused. `description` is a stable, low-cardinality metric label.
public struct ConnectionRefusalReason: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable { case unknownPeer = "unknown_peer", tooManyConnections = "too_many_connections" }
    private let base: Base
    private init(_ base: Base) { self.base = base }
    /// The peer's address belongs to no site.
    public static let unknownPeer = Self(.unknownPeer)
    /// ``ListenerConfiguration/maximumConnections`` connections were already open.
    public static let tooManyConnections = Self(.tooManyConnections)
    public var description: String { self.base.rawValue }
}

/// Why a connection ended. `description` is a stable, low-cardinality metric label.
public struct ConnectionCloseReason: Hashable, Sendable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable {
        case peerClosed = "peer_closed", idleTimeout = "idle_timeout", shutdown = "shutdown"
        case shutdownGracePeriodExpired = "shutdown_grace_period_expired", error = "error"
    }
    private let base: Base
    private init(_ base: Base) { self.base = base }
    /// The PBX closed the connection (end of stream).
    public static let peerClosed = Self(.peerClosed)
    /// Nothing arrived for ``ListenerConfiguration/idleTimeout``.
    public static let idleTimeout = Self(.idleTimeout)
    /// Closed during graceful shutdown after it went quiet.
    public static let shutdown = Self(.shutdown)
    /// Closed when ``ListenerConfiguration/shutdownGracePeriod`` ran out while data still flowed.
    public static let shutdownGracePeriodExpired = Self(.shutdownGracePeriodExpired)
    /// A socket or journal error ended the connection.
    public static let error = Self(.error)
    public var description: String { self.base.rawValue }
}
