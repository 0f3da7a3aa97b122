public import Logging
public import NIOCore
public import NIOPosix
import SMDRCore
public import SMDRJournal
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects SMDR lines over TCP into the sites' journals: listen mode (IP Offices in send
/// mode connect to us) and connect mode (we dial IP Offices in listen mode), at once, for
/// many PBXs and many connections.
///
/// Each connection frames lines with ``SMDRLineDecoder`` and queues them in its site's
/// ``Journal``. While a journal is full, its connections stop consuming lines, NIO stops
/// reading their sockets, and TCP pushes back on the PBX (which buffers up to 3000 records).
///
/// ## Shutdown
/// On graceful shutdown the listener stops accepting and dialling, then lets each open
/// connection deliver what is in flight: a connection closes once it has been quiet for
/// ``ListenerConfiguration/shutdownQuietPeriod`` or when
/// ``ListenerConfiguration/shutdownGracePeriod`` runs out. Lines already received when the
/// grace period runs out (buffered, waiting for journal room, or in the socket's receive buffer)
/// are journaled over the journal's size limit, not dropped. ``run()`` returns when every
/// connection's lines are durable. Put the listener *after* its journals in the
/// `ServiceGroup`, so they shut down after it:
///
/// ```swift
/// let journal = try await Journal.open(directory: Journal.directory(forSite: "hq", dataDirectory: data),
///                                      site: "hq", configuration: journalConfiguration, logger: logger)
/// let listener = try Listener(configuration: configuration, journals: ["hq": journal], logger: logger)
/// let group = ServiceGroup(services: [journal, loader, listener], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
public final class Listener: Service, Sendable {
    public let configuration: ListenerConfiguration

    let sites: SiteDirectory
    let logger: Logger
    let observability: any ListenerObservabilityDelegate
    let eventLoopGroup: any EventLoopGroup
    let state = Mutex(State())
    let nextSleeperID = Atomic<UInt64>(0)

    /// - Parameters:
    ///   - journals: The journal of every site in ``ListenerConfiguration/sites``, by site name.
    ///   - observability: Receives connection, line and journal events (for metrics).
    /// - Throws: ``ListenerConfigurationError`` for an invalid configuration or a missing journal.
    public convenience init(
        configuration: ListenerConfiguration,
        journals: [String: Journal],
        logger: Logger,
        observability: any ListenerObservabilityDelegate = NoOpListenerObservability(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        try configuration.validate()
        try self.init(
            configuration: configuration,
            sites: SiteDirectory(sites: configuration.sites, journals: journals),
            logger: logger,
            observability: observability,
            eventLoopGroup: eventLoopGroup
        )
    }

    /// - Parameters:
    ///   - sites: The sites served, updated while the listener runs; ``ListenerConfiguration/sites``
    ///     is not used. A connect target whose site is not (yet) in `sites` waits for it.
    ///   - observability: Receives connection, line and journal events (for metrics).
    /// - Throws: ``ListenerConfigurationError`` for an invalid configuration.
    public init(
        configuration: ListenerConfiguration,
        sites: SiteDirectory,
        logger: Logger,
        observability: any ListenerObservabilityDelegate = NoOpListenerObservability(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        var withoutSites = configuration
        withoutSites.sites = []
        withoutSites.connect = []
        try withoutSites.validate()
        self.configuration = configuration
        self.sites = sites
        self.logger = logger
        self.observability = observability
        self.eventLoopGroup = eventLoopGroup
    }

    /// The addresses actually bound, in the order of ``ListenerConfiguration/listen``, once
    /// ``run()`` has bound them all (useful with port 0).
    ///
    /// - Throws: ``BindError`` if binding failed, ``ListenerError`` if the listener stopped before binding.
    public func boundAddresses() async throws -> [SocketAddress] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[SocketAddress], any Error>) in
            let result: Result<[SocketAddress], any Error>? = self.state.withLock { state in
                switch state.binding {
                case .bound(let addresses): return .success(addresses)
                case .failed(let error): return .failure(error)
                case .pending(var waiters):
                    waiters.append(continuation)
                    state.binding = .pending(waiters)
                    return nil
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Binds, accepts and dials until graceful shutdown or cancellation, then drains the open
    /// connections (see the type's discussion) and returns.
    ///
    /// - Throws: ``ListenerError`` when a listen address cannot be bound.
    public func run() async throws {
        do {
            try await withTaskCancellationOrGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await self.runTransports() }
                    group.addTask { try await self.forceCloseAfterGracePeriod() }
                    try await group.next()
                    group.cancelAll()
                }
            } onCancelOrGracefulShutdown: {
                self.beginShutdown()
            }
        } catch is ForcedShutdown {
            self.logger.warning("Listener shutdown grace period ran out; remaining connections were cancelled")
        } catch {
            self.publishBinding(.failure(error))
            throw error
        }
        self.publishBinding(.failure(ListenerError("the listener has stopped")))
        self.logger.info("Listener stopped")
    }

    // MARK: - Transports

    private func runTransports() async throws {
        var servers: [(Endpoint, NIOAsyncChannel<Accepted, Never>)] = []
        do {
            for endpoint in self.configuration.listen {
                servers.append((endpoint, try await self.bind(endpoint)))
            }
        } catch {
            for (_, server) in servers { server.channel.close(promise: nil) }
            throw error
        }
        let addresses = servers.compactMap { $0.1.channel.localAddress }
        for address in addresses {
            self.logger.info("Listening for SMDR connections", metadata: ["smdr.listen.address": "\(address)"])
        }
        let closeNow = self.state.withLock { state in
            state.servers = servers.map { $0.1.channel }
            return state.isShuttingDown
        }
        if closeNow { servers.forEach { $0.1.channel.close(promise: nil) } }
        self.publishBinding(.success(addresses))

        try await withThrowingDiscardingTaskGroup { group in
            for (endpoint, server) in servers {
                group.addTask { try await self.acceptLoop(server, endpoint: endpoint) }
            }
            for target in self.configuration.connect {
                group.addTask { await self.connectLoop(target) }
            }
        }
    }

    private func bind(_ endpoint: Endpoint) async throws -> NIOAsyncChannel<Accepted, Never> {
        do {
            return try await ServerBootstrap(group: self.eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: Int32(clamping: self.configuration.acceptBacklog))
                .childChannelOption(.socketOption(.so_keepalive), value: 1)
                .childChannelOption(.recvAllocator, value: self.receiveAllocator)
                .bind(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try self.accept(channel) }
                }
        } catch {
            throw BindError(endpoint: endpoint, error: error)
        }
    }

    var receiveAllocator: AdaptiveRecvByteBufferAllocator {
        let maximum = self.configuration.readBufferSize
        return AdaptiveRecvByteBufferAllocator(minimum: min(64, maximum), initial: min(2048, maximum), maximum: maximum)
    }

    /// Runs on the new channel's event loop, before it is registered: decides whether to serve it.
    private func accept(_ channel: any Channel) throws -> Accepted {
        let peer = channel.remoteAddress
        guard let peer, let address = IPAddress(peer), let site = self.sites.site(for: address)?.name else {
            try channel.syncOptions?.setOption(.autoRead, value: false)
            return .refused(channel, peer: peer, reason: .unknownPeer)
        }
        let reserved = self.state.withLock { state in
            guard state.inboundConnections < self.configuration.maximumConnections else { return false }
            state.inboundConnections += 1
            return true
        }
        guard reserved else {
            try channel.syncOptions?.setOption(.autoRead, value: false)
            return .refused(channel, peer: peer, reason: .tooManyConnections)
        }
        do {
            return .accepted(try self.makeConnection(channel, site: site, peer: peer, direction: .inbound))
        } catch {
            self.state.withLock { $0.inboundConnections -= 1 }
            throw error
        }
    }

    func makeConnection(
        _ channel: any Channel, site: String, peer: SocketAddress?, direction: ConnectionDirection
    ) throws -> Connection {
        let closeReason = CloseReasonBox()
        let observability = self.observability
        let idleTimeout = self.configuration.idleTimeout == .zero ? nil : TimeAmount(self.configuration.idleTimeout)
        let maximumLineLength = self.configuration.maximumLineLength
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(ConnectionGuardHandler(idleTimeout: idleTimeout, closeReason: closeReason) { count in
            observability.bytesReceived(site: site, count: count)
        })
        try operations.addHandler(
            ByteToMessageHandler(SMDRLineDecoder(maximumLineLength: maximumLineLength), maximumBufferSize: maximumLineLength)
        )
        let high = self.configuration.maximumBufferedLines
        let asyncChannel = try NIOAsyncChannel<FramedLine, Never>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: max(1, high / 4), highWatermark: high))
        )
        return Connection(channel: asyncChannel, site: site, peer: peer, direction: direction, closeReason: closeReason)
    }

    private func acceptLoop(_ server: NIOAsyncChannel<Accepted, Never>, endpoint: Endpoint) async throws {
        try await server.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { connections in
                for try await accepted in inbound {
                    switch accepted {
                    case .accepted(let connection):
                        connections.addTask { _ = await self.serve(connection) }
                    case .refused(let channel, let peer, let reason):
                        channel.close(promise: nil)
                        self.observability.connectionRefused(peer: peer, reason: reason)
                        self.logger.warning(
                            reason == .unknownPeer
                                ? "Refused an SMDR connection from an address that belongs to no site"
                                : "Refused an SMDR connection: maximumConnections reached",
                            metadata: ["smdr.connection.peer": "\(peer.map { "\($0)" } ?? "unknown")",
                                       "smdr.listen.address": "\(endpoint)"]
                        )
                    }
                }
            }
        }
    }

    /// Reads one connection into its journal until it closes. Never throws. Returns the lines read.
    func serve(_ connection: Connection) async -> Int {
        guard let journal = self.sites.journal(for: connection.site) else {
            // The site was removed between accepting and serving: refuse like an unknown peer.
            if connection.direction == .inbound { self.state.withLock { $0.inboundConnections -= 1 } }
            self.observability.connectionRefused(peer: connection.peer, reason: .unknownPeer)
            try? await connection.channel.channel.close()
            return 0
        }
        var logger = self.logger
        logger[metadataKey: "smdr.site"] = "\(connection.site)"
        logger[metadataKey: "smdr.connection.peer"] = "\(connection.peer.map { "\($0)" } ?? "unknown")"
        logger[metadataKey: "smdr.connection.direction"] = "\(connection.direction.rawValue)"
        let channel = connection.channel.channel
        let drain = self.state.withLock { state -> DrainRequest? in
            state.connections[ObjectIdentifier(channel)] = channel
            state.connectionJournals[ObjectIdentifier(channel)] = journal
            return state.drain
        }
        if let drain { channel.pipeline.fireUserInboundEventTriggered(drain) }
        self.observability.connectionOpened(site: connection.site, peer: connection.peer, direction: connection.direction)
        logger.debug("SMDR connection opened")

        var lines = 0
        var lastOffset: Int64? = nil
        var failure: (any Error)? = nil
        do {
            try await connection.channel.executeThenClose { inbound in
                for try await line in inbound {
                    // Suspends while the journal is full: the backpressure that reaches the socket.
                    let location = try await journal.enqueue(line)
                    lastOffset = location.nextOffset
                    lines += 1
                    if line.isTruncated {
                        self.observability.lineTruncated(site: connection.site)
                        logger.notice("SMDR line longer than maximumLineLength; journaled truncated and flagged",
                                      metadata: ["smdr.line.maximum_length": "\(self.configuration.maximumLineLength)"])
                    }
                    if line.isUnterminated {
                        logger.notice("SMDR connection ended in the middle of a line; the fragment is journaled as unterminated (stored rejected, never a call)",
                                      metadata: ["smdr.line.bytes": "\(line.bytes.count)"])
                    }
                    logger.trace("SMDR line queued", metadata: ["smdr.line": "\(String(decoding: line.bytes, as: UTF8.self))"])
                }
            }
        } catch {
            failure = error
        }
        if let lastOffset {
            do {
                try await journal.waitUntilDurable(upTo: lastOffset)
            } catch {
                failure = failure ?? error
            }
        }
        let direction = connection.direction
        self.state.withLock { state in
            state.connections[ObjectIdentifier(channel)] = nil
            state.connectionJournals[ObjectIdentifier(channel)] = nil
            if direction == .inbound { state.inboundConnections -= 1 }
        }
        let reason = connection.closeReason.value ?? (failure == nil ? .peerClosed : .error)
        self.observability.connectionClosed(
            site: connection.site, peer: connection.peer, direction: direction, reason: reason, lines: lines
        )
        if let error = connection.closeReason.error {
            logger.warning("SMDR connection failed", metadata: ["error": "\(error)", "smdr.connection.lines": "\(lines)"])
        }
        if let failure, !(failure is CancellationError) {
            logger.warning("SMDR connection failed", metadata: ["error": "\(failure)", "smdr.connection.lines": "\(lines)"])
        } else if failure is CancellationError {
            logger.warning("SMDR connection cancelled at shutdown; a line read from it may not be journaled",
                           metadata: ["smdr.connection.lines": "\(lines)"])
        } else {
            logger.debug("SMDR connection closed", metadata: ["smdr.connection.lines": "\(lines)", "smdr.connection.close_reason": "\(reason)"])
        }
        return lines
    }

    private func publishBinding(_ result: Result<[SocketAddress], any Error>) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<[SocketAddress], any Error>] in
            guard case .pending(let waiters) = state.binding else { return [] }
            switch result {
            case .success(let addresses): state.binding = .bound(addresses)
            case .failure(let error): state.binding = .failed(error)
            }
            return waiters
        }
        waiters.forEach { $0.resume(with: result) }
    }
}

/// The listener could not do what it was asked (for example, bind an address).
public struct ListenerError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    package init(_ message: String) { self.message = message }
    public var description: String { self.message }
}

extension Listener {
    struct Connection: Sendable {
        var channel: NIOAsyncChannel<FramedLine, Never>
        var site: String
        var peer: SocketAddress?
        var direction: ConnectionDirection
        var closeReason: CloseReasonBox
    }

    enum Accepted: Sendable {
        case accepted(Connection)
        case refused(any Channel, peer: SocketAddress?, reason: ConnectionRefusalReason)
    }

    enum Binding {
        case pending([CheckedContinuation<[SocketAddress], any Error>])
        case bound([SocketAddress])
        case failed(any Error)
    }

    struct State {
        var binding: Binding = .pending([])
        var servers: [any Channel] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// The journal each open connection writes to (a site removed from the directory
        /// still has connections, and their lines are drained too).
        var connectionJournals: [ObjectIdentifier: Journal] = [:]
        var inboundConnections = 0
        var isShuttingDown = false
        var drain: DrainRequest? = nil
        var sleepers: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }
}

extension IPAddress {
    /// The IP address of a socket address (`nil` for Unix-domain addresses).
    public init?(_ address: SocketAddress) {
        guard let text = address.ipAddress else { return nil }
        self.init(text)
    }
}
