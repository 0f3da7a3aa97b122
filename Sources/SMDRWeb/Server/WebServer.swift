import Hummingbird
package import Logging
import NIOCore
package import SMDRListener
package import SMDRPostgres
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
    /// The longest one query of a page may run before PostgreSQL cancels it (the page then
    /// fails with 500): pages answer in well under a second, so this is only a backstop against
    /// a query that would hold a connection for ever.
    package static let statementTimeout: Duration = .seconds(30)

    package let environment: WebEnvironment
    package let endpoint: Endpoint
    package let onListening: @Sendable (Endpoint) async -> Void

    package init(environment: WebEnvironment, endpoint: Endpoint, onListening: @escaping @Sendable (Endpoint) async -> Void = { _ in }) {
        self.environment = environment
        self.endpoint = endpoint
        self.onListening = onListening
    }

    /// The app over `store` with `settings` on `endpoint`, telling `onListening` the bound address.
    package init(
        store: PostgresStore, settings: WebSettings, endpoint: Endpoint, logger: Logger,
        onListening: @escaping @Sendable (Endpoint) async -> Void = { _ in }
    ) {
        self.init(environment: WebEnvironment(store: store, settings: settings, logger: logger), endpoint: endpoint, onListening: onListening)
    }

    /// The web app's store over `connection`: ``databaseConnections`` connections, each with
    /// ``statementTimeout``.
    package static func storeConfiguration(connection: PostgresConnection.Configuration) -> PostgresStore.Configuration {
        var connection = connection
        connection.statementTimeout = Self.statementTimeout
        var configuration = PostgresStore.Configuration(connection: connection)
        configuration.maximumConnections = Self.databaseConnections
        return configuration
    }

    /// The line tests, scripts and people wait for: the address the app answers on.
    package static func listeningLine(_ endpoint: Endpoint) -> String {
        "smdr web: listening on http://\(endpoint)\n"
    }

    package func run() async throws {
        let endpoint = self.endpoint
        let onListening = self.onListening
        let bound = BoundFlag()
        // Before listening: the first sign-in with an unknown name must not be the one that
        // waits for it (nor answer faster than a known name's).
        _ = try await self.environment.dummyHash.value()
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
