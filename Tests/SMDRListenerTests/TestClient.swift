import NIOCore
import NIOPosix
import SMDRTestSupport
import Testing

/// A raw TCP client: a stand-in for a PBX in send mode.
struct TestClient: Sendable {
    let channel: any Channel

    static func connect(to address: SocketAddress, from source: String? = nil) async throws -> TestClient {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        return TestClient(channel: try await bootstrap.connect(to: address).get())
    }

    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    /// Sends `text` in pieces cut at random points.
    func sendSplit(_ text: String, using generator: inout some RandomNumberGenerator) async throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let size = Int.random(in: 1...max(1, min(bytes.count, 97)), using: &generator)
            try await self.send(Array(bytes.prefix(size)))
            bytes = bytes.dropFirst(size)
        }
    }

    func close() async throws {
        try await self.channel.close().get()
    }

    var isOpen: Bool { self.channel.isActive }

    /// Waits until the server closes the connection; fails after `timeout`.
    func waitUntilClosed(timeout: Duration = .seconds(10)) async throws {
        try await eventually(timeout: timeout) { !self.channel.isActive }
    }
}
