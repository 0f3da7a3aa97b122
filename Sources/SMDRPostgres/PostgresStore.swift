import NIOPosix
import Synchronization

/// The `Sendable` front door to PostgreSQL: lends out connections on threads of its own.
///
/// libpq blocks the calling thread, so every ``withConnection(_:)`` body runs on one of the
/// store's ``NIOThreadPool`` threads, never on Swift's cooperative pool. The pool has
/// ``Configuration/maximumConnections`` threads and each thread uses at most one connection at a
/// time, which bounds the number of open connections. Idle connections are kept for reuse; a
/// connection that is broken or was left inside a transaction is closed instead.
///
/// Call ``close()`` when done (``withStore(configuration:_:)`` does it for you).
public final class PostgresStore: Sendable {
    public struct Configuration: Sendable {
        /// How to connect.
        public var connection: PostgresConnection.Configuration
        /// The most connections (and threads) the store uses at once. Defaults to 4.
        public var maximumConnections: Int = 4

        public init(connection: PostgresConnection.Configuration) {
            self.connection = connection
        }
    }

    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let state: Mutex<State>

    private struct State {
        var idle: [ConnectionBox] = []
        var isClosed = false
    }

    /// Hands a connection from the thread that used it last to the next one. Only one thread
    /// holds a box at a time: it is taken out of the idle list under the lock before use and
    /// put back only after the body returned, so the connection is never used concurrently.
    private final class ConnectionBox: @unchecked Sendable {
        let connection: PostgresConnection
        init(_ connection: PostgresConnection) { self.connection = connection }
    }

    /// Creates the store; connections open lazily, on first use.
    public init(configuration: Configuration) {
        precondition(configuration.maximumConnections > 0, "maximumConnections must be positive")
        self.configuration = configuration
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threadPool.start()
        self.state = Mutex(State())
    }

    deinit {
        // Harmless if close() already ran; lets a forgotten store end its threads.
        self.threadPool.shutdownGracefully { _ in }
    }

    /// Creates a store, runs `body`, and closes the store whatever happens.
    public static func withStore<T>(
        configuration: Configuration,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let store = PostgresStore(configuration: configuration)
        do {
            let value = try await body(store)
            try await store.close()
            return value
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Runs `body` with a connection, on one of the store's threads.
    ///
    /// The connection is only valid inside `body`; do not let it escape.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await self.threadPool.runIfActive {
            let box = try self.checkOut()
            do {
                let value = try body(box.connection)
                self.checkIn(box)
                return value
            } catch {
                self.checkIn(box)
                throw error
            }
        }
    }

    /// Closes idle connections and stops the store's threads; later calls fail.
    public func close() async throws {
        let idle = self.state.withLock { state in
            state.isClosed = true
            defer { state.idle.removeAll() }
            return state.idle
        }
        _ = idle  // released here: each connection closes in its deinit
        try await self.threadPool.shutdownGracefully()
    }

    private func checkOut() throws -> ConnectionBox {
        let reused: ConnectionBox? = try self.state.withLock { state in
            if state.isClosed {
                throw PostgresError(code: .connectionFailed, message: "the store is closed")
            }
            return state.idle.popLast()
        }
        if let reused { return reused }
        return ConnectionBox(try PostgresConnection(configuration: self.configuration.connection))
    }

    private func checkIn(_ box: ConnectionBox) {
        guard box.connection.isIdle else { return }  // broken or mid-transaction: let it close
        self.state.withLock { state in
            if !state.isClosed { state.idle.append(box) }
        }
    }
}
