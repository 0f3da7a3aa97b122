import NIOPosix

/// Runs blocking work (process spawning, libpq outside a ``PostgresStore``) on NIO's shared
/// blocking-I/O thread pool, never on Swift's cooperative pool.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
