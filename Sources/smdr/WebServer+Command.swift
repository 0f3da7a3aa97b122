import Logging
import SMDRListener
import SMDRPostgres
import SMDRWeb

extension WebServer {
    /// The web app as `smdr web` and `smdr serve --web` run it: once bound it prints
    /// ``WebServer/listeningLine(_:)`` to standard error, which people, scripts and tests wait for.
    static func announcing(store: PostgresStore, settings: WebSettings, endpoint: Endpoint, logger: Logger) -> WebServer {
        WebServer(store: store, settings: settings, endpoint: endpoint, logger: logger) {
            FileDescriptorOutput.standardError(WebServer.listeningLine($0))
        }
    }
}
