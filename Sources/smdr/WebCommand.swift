import ArgumentParser
import Logging
import SMDRListener
import SMDRPipeline
import SMDRPostgres
import SMDRWeb
import ServiceLifecycle
import UnixSignals

/// `smdr web`: the web app for billing staff on its own (`smdr serve --web` runs the same app
/// inside serve).
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Serve the web app for billing staff: the review queue, the register, statements and charts.",
        discussion: """
            Once it listens it prints 'smdr web: listening on http://HOST:PORT' to standard error, \
            with the port it bound (--listen 127.0.0.1:0 picks a free one). SIGTERM or SIGINT: \
            finish the requests in progress, exit 0. Users sign in with the names and passwords of \
            smdr user add. Each setting is taken from its flag, else its environment variable, \
            else the configuration file (--config or SMDR_CONFIG), else its default.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var firm: FirmOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (default: $SMDR_LOG_LEVEL or info).")
    var logLevel: String?

    @Option(help: help("SMDR_WEB", "HOST:PORT to serve on")) var listen: String?
    @Option(name: .customLong("public-url"), help: help("SMDR_WEB_PUBLIC_URL")) var publicURL: String?
    @Option(name: .customLong("trusted-proxy"), help: help("SMDR_WEB_TRUSTED_PROXY")) var trustedProxy: String?
    @Option(help: help("SMDR_WEB_SESSION_IDLE")) var sessionIdle: String?
    @Option(help: help("SMDR_WEB_SESSION_LIFETIME")) var sessionLifetime: String?
    @Option(name: .customLong("signin-attempts"), help: help("SMDR_WEB_SIGNIN_ATTEMPTS")) var signInAttempts: String?
    @Option(name: .customLong("signin-window"), help: help("SMDR_WEB_SIGNIN_WINDOW")) var signInWindow: String?
    @Option(help: help("SMDR_WEB_BCRYPT_COST")) var bcryptCost: String?
    @Option(help: help("SMDR_WEB_PAGE_SIZE")) var pageSize: String?
    @Option(help: help("SMDR_WEB_MAX_BODY")) var maxBody: String?
    @Option(help: ArgumentHelp("Paper of statements: a4 or letter (default: $SMDR_PAPER, else a4).", valueName: "paper"))
    var paper: String?
    @Option(help: ArgumentHelp("The Chromium that prints statement PDFs (default: $SMDR_CHROMIUM, else chromium on PATH).", valueName: "path"))
    var chromium: String?
    @Option(help: ArgumentHelp("Longest one statement PDF may take (default: $SMDR_PDF_TIMEOUT, else 60s).", valueName: "duration"))
    var pdfTimeout: String?

    private static func help(_ environment: String, _ meaning: String? = nil) -> ArgumentHelp {
        let setting = WebSettings.setting(environment: environment)
        return ArgumentHelp("\(meaning ?? setting.meaning) (env \(environment), default \(setting.defaultValue))")
    }

    func run() async throws {
        let source: SettingsSource
        let settings: WebSettings
        do {
            source = try await SettingsSource.load(configPath: self.firm.config)
            settings = try WebSettings.resolve(flags: self.flags, source: source)
        } catch var error as SettingsError {
            if error.name == "--web" { error.name = "--listen" }  // this command's name for it
            FileDescriptorOutput.standardError("smdr web: \(error)\n")
            throw ExitCode(ExitStatus.usage)
        } catch {
            FileDescriptorOutput.standardError("smdr web: \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
        guard let endpoint = settings.listen else {
            FileDescriptorOutput.standardError("smdr web: --listen off: there is nothing else to serve; expected HOST:PORT\n")
            throw ExitCode(ExitStatus.usage)
        }
        let logger = try ServeCommand.bootstrapLogging(level: self.logLevel ?? source.text("SMDR_LOG_LEVEL"))
        _ = try self.database.selection()  // refuses a password on the command line
        let selection = DatabaseSelection.resolve(
            databaseOption: self.database.database,
            dataDirectoryOption: self.database.dataDirectory ?? source.text("SMDR_DATA"),
            environment: source.environmentWithFile
        )
        defer { EmbeddedClusterNotice.serverKeepsRunning(selection).map(FileDescriptorOutput.standardError) }
        do {
            try await PostgresStore.withOpened(
                selection, maximumConnections: WebServer.databaseConnections, statementTimeout: WebServer.statementTimeout
            ) { store in
                let server = WebServer.announcing(store: store, settings: settings, endpoint: endpoint, logger: logger)
                let group = ServiceGroup(
                    configuration: .init(services: [.init(service: server)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
                )
                try await group.run()
            }
        } catch let error as BindError {
            FileDescriptorOutput.standardError("smdr web: --listen \(error.endpoint): \(error.reason)\n")
            throw ExitCode(ExitStatus.usage)
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    private var flags: WebSettings.Flags {
        var flags = WebSettings.Flags()
        flags.listen = self.listen
        flags.publicURL = self.publicURL
        flags.trustedProxy = self.trustedProxy
        flags.sessionIdle = self.sessionIdle
        flags.sessionLifetime = self.sessionLifetime
        flags.signInAttempts = self.signInAttempts
        flags.signInWindow = self.signInWindow
        flags.bcryptCost = self.bcryptCost
        flags.pageSize = self.pageSize
        flags.maxBody = self.maxBody
        flags.output = OutputSettings.Flags(
            firmName: self.firm.firmName, firmAddress: self.firm.firmAddress, paper: self.paper, chromium: self.chromium,
            pdfTimeout: self.pdfTimeout
        )
        return flags
    }
}
