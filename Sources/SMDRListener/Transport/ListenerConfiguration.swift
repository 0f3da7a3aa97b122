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
    /// Dialled connections (``connect``) do not count. `smdr serve`: `SMDR_MAX_CONNECTIONS`.
    public var maximumConnections: Int

    /// The longest line kept whole, in bytes. A longer line is journaled truncated and flagged,
    /// and the connection stays up. `smdr serve`: `SMDR_MAX_LINE_LENGTH`.
    public var maximumLineLength: Int

    /// A connection on which no byte arrived for this long (while we were ready to read) is
    /// closed. `.zero` disables it. A PBX may hold a quiet connection open for days, so
    /// `smdr serve`'s default (`SMDR_IDLE_TIMEOUT`) is generous.
    public var idleTimeout: Duration

    /// The largest buffer a single socket read fills, in bytes (NIO's adaptive receive
    /// allocator grows up to this). `smdr serve`: `SMDR_READ_BUFFER_SIZE`.
    public var readBufferSize: Int

    /// Decoded lines a connection may hold before reading from its socket pauses: the
    /// high watermark of the inbound buffer (the low watermark is a quarter of it). When the
    /// journal is full, the connection stops consuming lines, this fills, and TCP pushes back
    /// to the PBX. `smdr serve`: `SMDR_MAX_BUFFERED_LINES`.
    public var maximumBufferedLines: Int

    /// On graceful shutdown, how long open connections may keep delivering what is in flight
    /// before they are closed. `smdr serve`: `SMDR_SHUTDOWN_GRACE`.
    public var shutdownGracePeriod: Duration

    /// On graceful shutdown, a connection that has been quiet this long is considered drained
    /// and is closed before ``shutdownGracePeriod`` ends. Defaults to 250 ms.
    public var shutdownQuietPeriod: Duration = .milliseconds(250)

    /// After ``shutdownGracePeriod``, how long connections may take to journal what they had
    /// already received (over the journal's size limit) before they are cancelled: only a
    /// journal that cannot write needs this long. Defaults to 10 seconds.
    public var shutdownJournalingTimeout: Duration = .seconds(10)

    /// How long a dial (connect mode) may take. `smdr serve`: `SMDR_CONNECT_TIMEOUT`.
    public var connectTimeout: Duration

    /// Delays between dial attempts in connect mode: from ``reconnectInitialDelay``, doubling,
    /// with 20 % jitter, up to the maximum given (`smdr serve`: `SMDR_RECONNECT_MAX_DELAY`).
    public var reconnectBackoff: Backoff

    /// A dialled connection up at least this long counts as healthy even without lines: the
    /// next reconnect delay starts from the first again. Defaults to 30 s.
    public var healthyConnectionDuration: Duration = .seconds(30)

    /// Pending connections the kernel queues for `accept` (listen backlog). Defaults to `128`.
    public var acceptBacklog: Int = 128

    /// The first reconnect delay in connect mode.
    public static let reconnectInitialDelay: Duration = .seconds(1)

    /// The limits `smdr serve` exposes as settings have no default here: ``ServeConfiguration``'s
    /// settings table is the one place for them.
    public init(
        maximumConnections: Int,
        maximumLineLength: Int,
        idleTimeout: Duration,
        readBufferSize: Int,
        maximumBufferedLines: Int,
        connectTimeout: Duration,
        reconnectMaximumDelay: Duration,
        shutdownGracePeriod: Duration
    ) {
        self.maximumConnections = maximumConnections
        self.maximumLineLength = maximumLineLength
        self.idleTimeout = idleTimeout
        self.readBufferSize = readBufferSize
        self.maximumBufferedLines = maximumBufferedLines
        self.connectTimeout = connectTimeout
        self.reconnectBackoff = Backoff(initial: Self.reconnectInitialDelay, maximum: reconnectMaximumDelay, jitter: 0.2)
        self.shutdownGracePeriod = shutdownGracePeriod
    }
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
