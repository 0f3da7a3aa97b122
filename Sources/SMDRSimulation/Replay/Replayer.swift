public import Logging
public import NIOCore
public import NIOPosix
import SMDRCore
public import SMDRListener
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of a ``Replayer``.
public struct ReplayConfiguration: Sendable {
    /// Connections the lines are spread over, round-robin (line n goes to connection n mod k).
    /// Defaults to 1.
    public var connections: Int = 1
    /// Lines per second over all connections; 0 sends as fast as possible. Defaults to 0.
    public var linesPerSecond: Int = 0
    /// Split every record into two writes at a random point (seeded), as PBXs and networks
    /// sometimes do. Defaults to `false`.
    public var splitsWrites: Bool = false
    /// Seed of the split points. Defaults to 1.
    public var seed: UInt64 = 1
    /// How long a dial may take (``Replayer/send(to:)``). Defaults to 10 seconds.
    public var connectTimeout: Duration = .seconds(10)
    /// A line longer than this is an error, not something to send. Defaults to 1 MiB.
    public var maximumLineLength: Int = 1 << 20

    public init() {}
}

/// What a replay sent.
public struct ReplaySummary: Hashable, Sendable, CustomStringConvertible {
    public var lines: Int
    /// Bytes written, CR LF terminators included.
    public var bytes: Int
    public var duration: Duration

    public var linesPerSecond: Double {
        let seconds = Double(self.duration.components.seconds) + Double(self.duration.components.attoseconds) / 1e18
        return seconds > 0 ? Double(self.lines) / seconds : 0
    }

    /// `1000 lines, 321000 bytes, 0.52 s, 1923 lines/s`
    public var description: String {
        let seconds = Double(self.duration.components.seconds) + Double(self.duration.components.attoseconds) / 1e18
        let hundredths = Int((seconds * 100).rounded())
        let secondsText = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        return "\(self.lines) lines, \(self.bytes) bytes, \(secondsText) s, \(Int(self.linesPerSecond.rounded())) lines/s"
    }
}

/// A replay failed; the message names the input or the address concerned.
public struct ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    package init(_ message: String) { self.message = message }
    public var description: String { self.message }
}

/// A fake IP Office: sends the lines of an SMDR capture over TCP, for tests, demos and load
/// measurements.
///
/// The capture is read through ``Source`` (`smdr replay` reads a file with the project's one
/// file reader), framed with ``LineFramer`` (CR, LF or CR LF; NULs and empty lines dropped) and
/// each line is sent with a CR LF terminator, streaming, so captures of any size work.
///
/// - ``send(to:)`` acts as an IP Office in *send mode*: it connects to a collector.
/// - ``serve(on:onListening:)`` acts as one in *listen mode*: it waits for collectors.
public struct Replayer: Sendable {
    /// Opens the capture for one replay and returns its reader: each call returns the next
    /// chunk of bytes, an empty chunk at the end.
    public typealias Source = @Sendable () async throws -> @Sendable () async throws -> [UInt8]

    /// The capture's name in messages (its path).
    public let name: String
    private let open: Source
    public let configuration: ReplayConfiguration
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup

    public init(
        name: String,
        open: @escaping Source,
        configuration: ReplayConfiguration = ReplayConfiguration(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        precondition(configuration.connections >= 1, "connections must be >= 1")
        precondition(configuration.linesPerSecond >= 0, "linesPerSecond must be >= 0")
        self.name = name
        self.open = open
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Connects ``ReplayConfiguration/connections`` times to `endpoint`, sends the capture, and
    /// closes the connections.
    ///
    /// - Throws: ``ReplayError`` naming the address when a dial or write fails; what the
    ///   ``Source`` throws when the capture cannot be read.
    public func send(to endpoint: Endpoint) async throws -> ReplaySummary {
        let read = try await self.open()
        var channels: [any Channel] = []
        do {
            for _ in 0..<self.configuration.connections {
                do {
                    channels.append(
                        try await ClientBootstrap(group: self.eventLoopGroup)
                            .connectTimeout(TimeAmount(self.configuration.connectTimeout))
                            .channelOption(.socketOption(.tcp_nodelay), value: 1)
                            .connect(host: endpoint.host, port: endpoint.port).get()
                    )
                } catch {
                    throw ReplayError("cannot connect to \(endpoint): \(Self.describe(error))")
                }
            }
            return try await self.transmit(read, over: channels)
        } catch {
            channels.forEach { $0.close(promise: nil) }
            throw error
        }
    }

    /// Listens on `endpoint`, waits for ``ReplayConfiguration/connections`` collectors to
    /// connect, sends them the capture, closes their connections and stops listening.
    ///
    /// - Parameter onListening: Called with the bound address (useful with port 0).
    public func serve(
        on endpoint: Endpoint, onListening: @Sendable (Endpoint) async -> Void = { _ in }
    ) async throws -> ReplaySummary {
        let read = try await self.open()
        let server: NIOAsyncChannel<any Channel, Never>
        do {
            server = try await ServerBootstrap(group: self.eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: endpoint.host, port: endpoint.port) { channel in channel.eventLoop.makeSucceededFuture(channel) }
        } catch {
            throw ReplayError("cannot listen on \(endpoint): \(Self.describe(error))")
        }
        let count = self.configuration.connections
        return try await server.executeThenClose { inbound in
            if let address = server.channel.localAddress, let ip = address.ipAddress, let port = address.port {
                await onListening(Endpoint(host: ip, port: port))
            }
            var channels: [any Channel] = []
            for try await channel in inbound {
                channels.append(channel)
                self.logger.info("Collector connected", metadata: ["smdr.replay.peer": "\(channel.remoteAddress.map { "\($0)" } ?? "?")"])
                if channels.count == count { break }
            }
            guard channels.count == count else {
                    throw ReplayError("stopped listening on \(endpoint) before \(count) collector(s) connected")
            }
            do {
                return try await self.transmit(read, over: channels)
            } catch {
                channels.forEach { $0.close(promise: nil) }
                    throw error
            }
        }
    }

    // MARK: - Sending

    private func transmit(_ read: @Sendable () async throws -> [UInt8], over channels: [any Channel]) async throws -> ReplaySummary {
        var sender = Sender(channels: channels, configuration: self.configuration)
        var framer = LineFramer(maximumLineLength: self.configuration.maximumLineLength)
        let started = ContinuousClock.now
        while true {
            let chunk = try await read()
            if chunk.isEmpty { break }
            var lines: [FramedLine] = []
            framer.append(chunk) { lines.append($0) }
            for line in lines { try await sender.send(line, startedAt: started, name: self.name) }
        }
        if let last = framer.finish() { try await sender.send(last, startedAt: started, name: self.name) }
        try await sender.finish()
        return ReplaySummary(lines: sender.lines, bytes: sender.bytes, duration: ContinuousClock.now - started)
    }

    /// Writes lines round-robin, keeping at most one write in flight per connection.
    private struct Sender {
        let channels: [any Channel]
        let configuration: ReplayConfiguration
        var pending: [ByteBuffer]
        var inFlight: [EventLoopFuture<Void>?]
        var generator: SplitMix64
        var lines = 0
        var bytes = 0

        static let batchBytes = 16 << 10

        init(channels: [any Channel], configuration: ReplayConfiguration) {
            self.channels = channels
            self.configuration = configuration
            self.pending = channels.map { $0.allocator.buffer(capacity: Self.batchBytes + 1024) }
            self.inFlight = channels.map { _ in nil }
            self.generator = SplitMix64(seed: configuration.seed)
        }

        mutating func send(_ line: FramedLine, startedAt started: ContinuousClock.Instant, name: String) async throws {
            guard !line.isTruncated else {
                throw ReplayError("\(name): line \(self.lines + 1) is longer than \(self.configuration.maximumLineLength) bytes")
            }
            if self.configuration.linesPerSecond > 0 {
                let due = started + .seconds(self.lines) / self.configuration.linesPerSecond
                if due > .now + .milliseconds(1) {
                    try await self.flushAll()
                    try await Task.sleep(until: due, clock: .continuous)
                }
            }
            let index = self.lines % self.channels.count
            let record = line.bytes + [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
            if self.configuration.splitsWrites {
                let cut = Int.random(in: 1..<record.count, using: &self.generator)
                self.pending[index].writeBytes(record[..<cut])
                try await self.flush(index)
                self.pending[index].writeBytes(record[cut...])
                try await self.flush(index)
            } else {
                self.pending[index].writeBytes(record)
                if self.pending[index].readableBytes >= Self.batchBytes { try await self.flush(index) }
            }
            self.lines += 1
            self.bytes += record.count
        }

        mutating func flush(_ index: Int) async throws {
            guard self.pending[index].readableBytes > 0 else { return }
            try await self.awaitInFlight(index)
            let buffer = self.pending[index]
            self.pending[index] = self.channels[index].allocator.buffer(capacity: Self.batchBytes + 1024)
            self.inFlight[index] = self.channels[index].writeAndFlush(buffer)
        }

        mutating func awaitInFlight(_ index: Int) async throws {
            guard let write = self.inFlight[index] else { return }
            self.inFlight[index] = nil
            do {
                try await write.get()
            } catch {
                throw ReplayError("writing to \(Replayer.peer(self.channels[index])) failed: \(Replayer.describe(error))")
            }
        }

        mutating func flushAll() async throws {
            for index in self.channels.indices { try await self.flush(index) }
        }

        /// Sends what is left, then closes every connection; a connection the peer closed first is an error.
        mutating func finish() async throws {
            try await self.flushAll()
            for index in self.channels.indices { try await self.awaitInFlight(index) }
            for channel in self.channels {
                guard channel.isActive else {
                    throw ReplayError("\(Replayer.peer(channel)) closed the connection before the replay finished")
                }
                do {
                    try await channel.close().get()
                } catch {
                    throw ReplayError("closing the connection to \(Replayer.peer(channel)) failed: \(Replayer.describe(error))")
                }
            }
        }
    }

    private static func peer(_ channel: any Channel) -> String {
        guard let address = channel.remoteAddress, let ip = address.ipAddress, let port = address.port else { return "the peer" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// A short, readable reason: "connection refused" rather than NIO's nested error dump.
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return Self.describe(first.error)
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode))
        }
        return "\(error)"
    }
}
