public import SMDRCore

/// Settings of the SMDR ``Listener``: where to listen, which PBXs to dial, and every limit.
///
/// Each limit has a documented default and is enforced; see DESIGN §2.4.
public struct ListenerConfiguration: Sendable {
    /// Addresses to listen on for IP Offices in *send mode* (they connect to us). Port 0 binds a
    /// free port; read the result from ``Listener/boundAddresses()``. Defaults to none.
    public var listen: [Endpoint] = []

    /// IP Offices in *listen mode* (their default) that we dial and read from. Defaults to none.
    public var connect: [ConnectTarget] = []

    /// The sites and the peer addresses allowed for each (listen mode). A peer that matches no
    /// site is refused. Defaults to none.
    public var sites: [Site] = []

    /// Open inbound connections at most, over all listen addresses. Further connections are
    /// accepted by the kernel and closed at once (counted as refused), never queued.
    /// Dialled connections (``connect``) do not count. Defaults to `256`.
    public var maximumConnections: Int = 256

    /// The longest line kept whole, in bytes. A longer line is journaled truncated and flagged,
    /// and the connection stays up. Defaults to ``LineFramer/defaultMaximumLineLength`` (4096).
    public var maximumLineLength: Int = LineFramer.defaultMaximumLineLength

    /// A connection on which no byte arrived for this long (while we were ready to read) is
    /// closed. `.zero` disables it. A PBX may hold a quiet connection open for days, so the
    /// default is generous: 7 days.
    public var idleTimeout: Duration = .seconds(7 * 24 * 3600)

    /// The largest buffer a single socket read fills, in bytes (NIO's adaptive receive
    /// allocator grows up to this). Defaults to `65536`.
    public var readBufferSize: Int = 65536

    /// Decoded lines a connection may hold before reading from its socket pauses: the
    /// high watermark of the inbound buffer (the low watermark is a quarter of it). When the
    /// journal is full, the connection stops consuming lines, this fills, and TCP pushes back
    /// to the PBX. Defaults to `256`.
    public var maximumBufferedLines: Int = 256

    /// On graceful shutdown, how long open connections may keep delivering what is in flight
    /// before they are closed. Defaults to 10 seconds.
    public var shutdownGracePeriod: Duration = .seconds(10)

    /// On graceful shutdown, a connection that has been quiet this long is considered drained
    /// and is closed before ``shutdownGracePeriod`` ends. Defaults to 250 ms.
    public var shutdownQuietPeriod: Duration = .milliseconds(250)

    /// After ``shutdownGracePeriod``, how long connections may take to journal what they had
    /// already received (over the journal's size limit) before they are cancelled: only a
    /// journal that cannot write needs this long. Defaults to 10 seconds.
    public var shutdownJournalingTimeout: Duration = .seconds(10)

    /// How long a dial (connect mode) may take. Defaults to 10 seconds.
    public var connectTimeout: Duration = .seconds(10)

    /// Delays between dial attempts in connect mode.
    public var reconnectBackoff: Backoff = Backoff()

    /// Pending connections the kernel queues for `accept` (listen backlog). Defaults to `128`.
    public var acceptBacklog: Int = 128

    public init() {}
}

/// An IP Office in listen mode that the collector dials (`--connect HOST:PORT`).
public struct ConnectTarget: Hashable, Sendable {
    public var endpoint: Endpoint
    /// The site whose journal receives this PBX's lines.
    public var site: String

    public init(endpoint: Endpoint, site: String) {
        self.endpoint = endpoint
        self.site = site
    }
}

/// Capped exponential backoff with jitter for reconnecting in connect mode.
///
/// The n-th consecutive failed attempt waits `min(maximum, initial × 2ⁿ)`, reduced by a random
/// fraction of at most ``jitter`` (so delays never exceed ``maximum`` and attempts from many
/// collectors spread out). After a healthy connection (one that delivered a line or stayed up
/// for ``healthyConnectionDuration``) the next delay starts from ``initial`` again.
public struct Backoff: Hashable, Sendable {
    /// The first delay. Defaults to 1 second.
    public var initial: Duration = .seconds(1)
    /// The largest delay. Defaults to 60 seconds.
    public var maximum: Duration = .seconds(60)
    /// Fraction 0...1 of each delay that is randomised away. Defaults to `0.2`.
    public var jitter: Double = 0.2
    /// A connection up at least this long counts as healthy even without lines. Defaults to 30 s.
    public var healthyConnectionDuration: Duration = .seconds(30)

    public init() {}

    public init(initial: Duration, maximum: Duration, jitter: Double = 0.2,
                healthyConnectionDuration: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
        self.healthyConnectionDuration = healthyConnectionDuration
    }

    /// The delay before attempt `failures + 1`, for a random `unit` in 0..<1.
    package func delay(afterFailures failures: Int, unit: Double) -> Duration {
        var delay = self.initial
        var step = 0
        while step < failures, delay < self.maximum {
            delay = delay * 2
            step += 1
        }
        if delay > self.maximum { delay = self.maximum }
        let jitter = min(max(self.jitter, 0), 1)
        return delay * (1 - jitter * min(max(unit, 0), 1))
    }
}

/// A listener or journal setting that cannot work.
public struct ListenerConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    package init(_ message: String) { self.message = message }

    public var description: String { self.message }

    static func duplicateSite(_ name: String) -> Self { Self("site \"\(name)\" is configured twice") }
    static func overlappingPeers(_ range: String, _ first: String, _ second: String) -> Self {
        Self("peer block \(range) is listed by both site \"\(first)\" and site \"\(second)\"")
    }
    static func invalidNetwork(_ text: String, _ site: String) -> Self {
        Self("allowed network \"\(text)\" of site \"\(site)\" is not an address or CIDR block")
    }
    static func missingJournal(_ site: String) -> Self { Self("no journal was given for site \"\(site)\"") }
    static func unknownSite(_ site: String, target: Endpoint) -> Self {
        Self("connect target \(target) names unknown site \"\(site)\"")
    }
    static func invalid(_ setting: String, _ requirement: String) -> Self { Self("\(setting) must be \(requirement)") }
}

extension ListenerConfiguration {
    /// Checks every setting; ``Listener/init(configuration:journals:logger:observability:eventLoopGroup:)`` calls it.
    public func validate() throws {
        guard self.maximumConnections >= 1 else { throw ListenerConfigurationError.invalid("maximumConnections", ">= 1") }
        guard self.maximumLineLength >= 1 else { throw ListenerConfigurationError.invalid("maximumLineLength", ">= 1") }
        guard self.idleTimeout >= .zero else { throw ListenerConfigurationError.invalid("idleTimeout", ">= 0") }
        guard self.readBufferSize >= 256 else { throw ListenerConfigurationError.invalid("readBufferSize", ">= 256") }
        guard self.maximumBufferedLines >= 4 else { throw ListenerConfigurationError.invalid("maximumBufferedLines", ">= 4") }
        guard self.shutdownGracePeriod >= .zero else { throw ListenerConfigurationError.invalid("shutdownGracePeriod", ">= 0") }
        guard self.shutdownQuietPeriod > .zero else { throw ListenerConfigurationError.invalid("shutdownQuietPeriod", "> 0") }
        guard self.shutdownJournalingTimeout > .zero else {
            throw ListenerConfigurationError.invalid("shutdownJournalingTimeout", "> 0")
        }
        guard self.connectTimeout > .zero else { throw ListenerConfigurationError.invalid("connectTimeout", "> 0") }
        guard self.acceptBacklog >= 1 else { throw ListenerConfigurationError.invalid("acceptBacklog", ">= 1") }
        let backoff = self.reconnectBackoff
        guard backoff.initial > .zero, backoff.maximum >= backoff.initial else {
            throw ListenerConfigurationError.invalid("reconnectBackoff", "0 < initial <= maximum")
        }
        guard (0...1).contains(backoff.jitter) else { throw ListenerConfigurationError.invalid("reconnectBackoff.jitter", "in 0...1") }
        let names = Set(self.sites.map(\.name))
        for target in self.connect where !names.contains(target.site) {
            throw ListenerConfigurationError.unknownSite(target.site, target: target.endpoint)
        }
        _ = try PeerPolicy(sites: self.sites)
    }
}
