import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import SMDRPipeline

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
struct AdminServerTests {
    @Test func servesMetricsHealthAndNotFoundOverLoopback() async throws {
        let configuration = AdminServer.Configuration(host: "127.0.0.1", port: 0)
        let server = AdminServer(
            configuration: configuration,
            metrics: { Array("# TYPE smdr_lines_received_total counter\nsmdr_lines_received_total 7\n".utf8) },
            health: { .init(isHealthy: false, details: ["database: connection refused"]) },
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(try await server.boundAddress.port)

            let metrics = try HTTPProbe.get("/metrics", port: port)
            #expect(metrics.hasPrefix("HTTP/1.1 200 OK"))
            #expect(metrics.contains("text/plain; version=0.0.4"))
            #expect(metrics.hasSuffix("smdr_lines_received_total 7\n"))

            let health = try HTTPProbe.get("/healthz", port: port)
            #expect(health.hasPrefix("HTTP/1.1 503"))
            #expect(health.hasSuffix("unhealthy\ndatabase: connection refused\n"))

            let missing = try HTTPProbe.get("/nope", port: port)
            #expect(missing.hasPrefix("HTTP/1.1 404"))

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func refusesConnectionsBeyondTheLimit() async throws {
        var configuration = AdminServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.maximumConnections = 1
        let server = AdminServer(
            configuration: configuration,
            metrics: { [] },
            health: { .init(isHealthy: true, details: []) },
            logger: Logger(label: "test")
        )
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(try await server.boundAddress.port)
            // The first connection sends nothing and holds its slot.
            let idle = try HTTPProbe.connect(port: port)
            defer { close(idle) }
            try await Task.sleep(for: .milliseconds(200))
            let refused = try HTTPProbe.get("/healthz", port: port)
            #expect(refused.isEmpty)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A blocking HTTP/1.1 client over a POSIX socket: enough to test a server for real.
enum HTTPProbe {
    struct Failure: Error { var message: String }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(message: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(message: "connect to port \(port) failed")
        }
        return fd
    }

    /// Sends a GET and returns the whole response (empty if the server closed without answering).
    static func get(_ path: String, port: Int) throws -> String {
        let fd = try self.connect(port: port)
        defer { close(fd) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
