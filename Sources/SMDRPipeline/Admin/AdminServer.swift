public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
import SMDRListener
public import ServiceLifecycle

/// The admin HTTP port: `GET /metrics` (Prometheus text format) and `GET /healthz`.
///
/// Every response closes its connection; the server is for scrapers and health checks, not browsers.
public struct AdminServer: Service {
    public struct Configuration: Sendable {
        /// Address to bind: `127.0.0.1` for loopback only, `0.0.0.0` to expose it (`smdr serve`: `SMDR_ADMIN`).
        public var host: String
        /// Port to bind; `0` picks a free port (see ``AdminServer/boundAddress``).
        public var port: Int
        /// Most admin connections open at once; more are closed at once. Defaults to `16`.
        public var maximumConnections = 16
        /// Longest time to receive a request and send its response. Defaults to 10 s.
        public var requestTimeout: Duration = .seconds(10)

        /// No default address here: `smdr serve`'s settings table is the one place for it.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// What `/healthz` reports.
    public struct Health: Sendable {
        public var isHealthy: Bool
        /// One line per check, e.g. `database: ok`.
        public var details: [String]

        public init(isHealthy: Bool, details: [String]) {
            self.isHealthy = isHealthy
            self.details = details
        }
    }

    private let configuration: Configuration
    private let metrics: @Sendable () -> [UInt8]
    private let health: @Sendable () async -> Health
    private let logger: Logger
    private let bound: BoundAddress

    /// - Parameters:
    ///   - metrics: renders the Prometheus exposition text.
    ///   - health: evaluates the health checks.
    public init(
        configuration: Configuration,
        metrics: @escaping @Sendable () -> [UInt8],
        health: @escaping @Sendable () async -> Health,
        logger: Logger
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.bound = BoundAddress()
    }

    /// The address the server listens on, once it does.
    public var boundAddress: SocketAddress {
        get async throws { try await self.bound.value }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: self.configuration.host, port: self.configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel
                        )
                    }
                }
        } catch {
            let failure = BindError(endpoint: Endpoint(host: self.configuration.host, port: self.configuration.port), error: error)
            self.bound.fail(failure)
            throw failure
        }
        if let address = server.channel.localAddress {
            self.bound.succeed(address)
            self.logger.info("admin server listening", metadata: ["smdr.admin.address": "\(address)"])
        }
        let open = ConnectionCount()
        // Scrapes and health checks are short and idempotent: on shutdown, drop them at once.
        do {
            try await self.serve(server, open: open)
        } catch is CancellationError {
            self.logger.debug("admin server stopped")
        }
    }

    private func serve(
        _ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>,
        open: ConnectionCount
    ) async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        guard open.tryIncrement(limit: self.configuration.maximumConnections) else {
                            try? await connection.channel.close()
                            continue
                        }
                        group.addTask {
                            defer { open.decrement() }
                            await self.handle(connection)
                        }
                    }
                }
            }
        }
    }

    private func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await withThrowingTaskGroup { group in
                group.addTask {
                    try await connection.executeThenClose { inbound, outbound in
                        var head: HTTPRequestHead?
                        for try await part in inbound {
                            switch part {
                            case .head(let requestHead): head = requestHead
                            case .body: continue
                            case .end:
                                guard let head else { return }
                                let (status, contentType, body) = await self.respond(to: head)
                                var headers = HTTPHeaders()
                                headers.add(name: "Content-Type", value: contentType)
                                headers.add(name: "Content-Length", value: String(body.count))
                                headers.add(name: "Connection", value: "close")
                                try await outbound.write(
                                    .head(HTTPResponseHead(version: head.version, status: status, headers: headers))
                                )
                                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                                try await outbound.write(.end(nil))
                                return
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: self.configuration.requestTimeout)
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            self.logger.debug("admin connection ended", metadata: ["error": "\(error)"])
            try? await connection.channel.close()
        }
    }

    private func respond(to head: HTTPRequestHead) async -> (HTTPResponseStatus, String, [UInt8]) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, "text/plain; charset=utf-8", Array("only GET is supported\n".utf8))
        }
        switch path {
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", self.metrics())
        case "/healthz":
            let health = await self.health()
            let text = (health.isHealthy ? "ok" : "unhealthy") + "\n" + health.details.map { $0 + "\n" }.joined()
            return (health.isHealthy ? .ok : .serviceUnavailable, "text/plain; charset=utf-8", Array(text.utf8))
        default:
            return (.notFound, "text/plain; charset=utf-8", Array("not found; try /metrics or /healthz\n".utf8))
        }
    }
}
