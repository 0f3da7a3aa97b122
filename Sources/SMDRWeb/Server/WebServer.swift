import Hummingbird
import NIOCore
package import SMDRListener
package import ServiceLifecycle
import NIOCore
import Synchronization

/// The web app as a `Service` on one address: alone in `smdr web`, or one more service in
/// `smdr serve`'s group. Tells `onListening` the address it is bound to (the real port when
/// asked for port 0), and turns a failure to bind into a ``BindError`` naming the address, so
/// the command can say which setting to change; it stops on graceful shutdown (SIGTERM).
package struct WebServer: Service {
    /// Connections the app's store opens at most: each request holds one for the length of its
    /// queries, so this many pages are read at once and the rest wait for a connection.
    package static let databaseConnections = 8

    package let environment: WebEnvironment
    package let endpoint: Endpoint
    package let onListening: @Sendable (Endpoint) async -> Void

    package init(environment: WebEnvironment, endpoint: Endpoint, onListening: @escaping @Sendable (Endpoint) async -> Void = { _ in }) {
        self.environment = environment
        self.endpoint = endpoint
        self.onListening = onListening
    }

    package func run() async throws {
        let endpoint = self.endpoint
        let onListening = self.onListening
        let bound = BoundFlag()
        let application = WebApp.application(environment: self.environment, host: endpoint.host, port: endpoint.port) { channel in
            bound.value.withLock { $0 = true }
            await onListening(Endpoint(host: endpoint.host, port: channel.localAddress?.port ?? endpoint.port))
        }
        do {
            try await application.run()
        } catch {
            if !bound.value.withLock({ $0 }) { throw BindError(endpoint: endpoint, error: error) }
            throw error
        }
    }
}

/// Whether the server got as far as listening (a failure before is a failure to bind).
private final class BoundFlag: Sendable {
    let value = Mutex(false)
}
