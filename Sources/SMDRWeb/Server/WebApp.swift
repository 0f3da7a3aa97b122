package import Hummingbird
package import Logging
package import NIOCore
package import ServiceLifecycle

/// The web app for billing staff: its router and its HTTP server.
package enum WebApp {
    /// A connection that sends nothing for this long is closed: a client that opens many and
    /// trickles (slowloris) must not hold them for ever. A browser reopens one at once.
    package static let idleTimeout: TimeAmount = .seconds(60)

    /// Every route, behind the error page and the session guard.
    package static func router(environment: WebEnvironment) -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: ErrorPageMiddleware())
        router.add(middleware: SessionMiddleware(environment: environment))
        AssetRoutes.register(on: router)
        SignInRoutes.register(on: router, environment: environment)
        QueueRoutes.register(on: router, environment: environment)
        CallsRoutes.register(on: router, environment: environment)
        DashboardRoutes.register(on: router, environment: environment)
        RegisterRoutes.register(on: router, environment: environment)
        StatementRoutes.register(on: router, environment: environment)
        UserRoutes.register(on: router, environment: environment)
        return router
    }

    /// The server on `host:port` (a `Service`: run it alone or in `serve`'s group).
    /// `onServerRunning` gets the bound channel (port 0 picks a free port).
    static func application(
        environment: WebEnvironment, host: String, port: Int, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol & Service {
        Application(
            router: Self.router(environment: environment),
            server: .http1(configuration: .init(idleTimeout: Self.idleTimeout)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: environment.logger
        )
    }
}
