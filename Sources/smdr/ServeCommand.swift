import ArgumentParser
import Foundation
import Logging
import SMDRCore
import SMDRJournal
import SMDRListener
import SMDRPipeline
import SMDRPostgres
import SMDRWeb
import ServiceLifecycle
import UnixSignals

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Collect SMDR from IP Offices over TCP, journal every line, and load it into PostgreSQL exactly once.",
        discussion: """
            Listens for IP Offices in send mode (--listen) and dials IP Offices in listen mode \
            (--connect), both at once. Every line is appended to a checksummed journal and fsync'd \
            before it counts as received; a loader commits the lines to PostgreSQL together with \
            the journal offset. Peers are mapped to sites by the sites' allowed networks \
            (smdr site add). SIGTERM or SIGINT: stop accepting, journal what was sent, load what \
            can be loaded, exit 0.

            Each setting is taken from its flag, else its environment variable, else the \
            configuration file (--config or SMDR_CONFIG, NAME=value lines), else its default. \
            Durations: 50ms, 10s, 5m, 2h, 7d. Sizes: 65536, 64KiB, 64MiB, 1GiB.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Configuration file of SMDR_NAME=value lines (default: $SMDR_CONFIG).", completion: .file())
    var config: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical (default: $SMDR_LOG_LEVEL or info).")
    var logLevel: String?

    @Option(help: help("SMDR_LISTEN")) var listen: [String] = []
    @Option(help: help("SMDR_CONNECT")) var connect: [String] = []
    @Option(help: help("SMDR_ADMIN")) var admin: String?
    @Option(help: help("SMDR_MAX_CONNECTIONS")) var maxConnections: Int?
    @Option(help: help("SMDR_MAX_LINE_LENGTH")) var maxLineLength: Int?
    @Option(help: help("SMDR_IDLE_TIMEOUT")) var idleTimeout: String?
    @Option(help: help("SMDR_READ_BUFFER_SIZE")) var readBufferSize: String?
    @Option(help: help("SMDR_MAX_BUFFERED_LINES")) var maxBufferedLines: Int?
    @Option(help: help("SMDR_CONNECT_TIMEOUT")) var connectTimeout: String?
    @Option(help: help("SMDR_RECONNECT_MAX_DELAY")) var reconnectMaxDelay: String?
    @Option(help: help("SMDR_JOURNAL_MAX_BYTES")) var journalMaxBytes: String?
    @Option(help: help("SMDR_JOURNAL_SEGMENT_BYTES")) var journalSegmentBytes: String?
    @Flag(inversion: .prefixedNo, help: help("SMDR_JOURNAL_ARCHIVE")) var journalArchive: Bool?
    @Option(help: help("SMDR_FLUSH_INTERVAL")) var flushInterval: String?
    @Option(help: help("SMDR_FLUSH_LINES")) var flushLines: Int?
    @Option(help: help("SMDR_LOAD_BATCH_LINES")) var loadBatchLines: Int?
    @Option(help: help("SMDR_LOAD_RETRY_MAX_DELAY")) var loadRetryMaxDelay: String?
    @Option(help: help("SMDR_SHUTDOWN_GRACE")) var shutdownGrace: String?
    @Option(help: help("SMDR_STATEMENT_TIMEOUT")) var statementTimeout: String?
    @Option(help: help("SMDR_DATABASE_KEEPALIVE")) var databaseKeepalive: String?
    @Option(help: help("SMDR_HEALTH_TIMEOUT")) var healthTimeout: String?
    @Option(help: help("SMDR_SITE_REFRESH_INTERVAL")) var siteRefreshInterval: String?
    @Option(help: help("SMDR_RATE_INTERVAL")) var rateInterval: String?
    @Option(help: webHelp("SMDR_WEB")) var web: String?

    private static func help(_ environment: String) -> ArgumentHelp {
        guard let setting = ServeConfiguration.settings.first(where: { $0.environment == environment }) else {
            preconditionFailure("no setting \(environment)")
        }
        return ArgumentHelp("\(setting.meaning) (env \(environment), default \(setting.defaultValue))")
    }

    /// `--web`'s help: the web app's setting, which `smdr web` documents in full.
    private static func webHelp(_ environment: String) -> ArgumentHelp {
        let setting = WebSettings.setting(environment: environment)
        return ArgumentHelp(
            "HOST:PORT of the web app for billing staff (as smdr web serves it; its other settings from the environment or --config); off disables it (env \(environment), default \(setting.defaultValue))"
        )
    }

    func run() async throws {
        let source: SettingsSource
        let configuration: ServeConfiguration
        let webSettings: WebSettings
        do {
            source = try await SettingsSource.load(configPath: self.config)
            configuration = try ServeConfiguration.resolve(flags: self.flags, source: source)
            var webFlags = WebSettings.Flags()
            webFlags.listen = self.web
            webSettings = try WebSettings.resolve(flags: webFlags, source: source)
        } catch {
            FileDescriptorOutput.standardError("smdr serve: \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
        let logger = try Self.bootstrapLogging(level: self.logLevel ?? source.text("SMDR_LOG_LEVEL"))
        // One serve per data directory: held until the process exits (the kernel drops it on a crash).
        let lock = try await Self.lockDataDirectory(configuration.dataDirectory)
        defer { withExtendedLifetime(lock) {} }

        let selection = DatabaseSelection.resolve(
            databaseOption: self.database.database,
            dataDirectoryOption: self.database.dataDirectory ?? source.text("SMDR_DATA"),
            environment: source.environmentWithFile
        )
        var connection: PostgresConnection.Configuration
        do {
            connection = try await selection.prepare()
        } catch {
            guard let cluster = selection.embeddedCluster else { throw CommandFailure.exit(for: error) }
            // Journal anyway: the PBXs' lines are safe on disk, and load once PostgreSQL is up.
            logger.error("cannot start the embedded PostgreSQL; journaling only until it runs", metadata: ["error": "\(error)"])
            connection = cluster.connectionConfiguration
        }
        defer { EmbeddedClusterNotice.serverKeepsRunning(selection).map(FileDescriptorOutput.standardError) }
        let keepalive = configuration.database.keepalive.components.seconds
        connection.keepaliveIdleSeconds = Int(keepalive)  // 0: off
        let health = HealthProbe(connection: connection, timeout: configuration.database.healthTimeout)
        var loaderConnection = connection
        let statementTimeout = configuration.database.statementTimeout
        loaderConnection.statementTimeout = statementTimeout > .zero ? statementTimeout : nil  // 0: none
        let store = PostgresStore(configuration: PostgresStore.Configuration(connection: loaderConnection))

        // The site list: from PostgreSQL (checking, or for the embedded cluster creating, its
        // schema on a connection without statement timeout), else the cache of the last start.
        let sites: [Site]
        let authoritative: Bool
        do {
            let migrate = selection.embeddedCluster != nil
            sites = try await SiteList.read(connection: connection, migrateIfNeeded: migrate)
            authoritative = true
            try? await SiteCache.save(sites, dataDirectory: configuration.dataDirectory)
        } catch where SiteList.isUnreachable(error) {
            let cached = await SiteCache.load(dataDirectory: configuration.dataDirectory)
            logger.warning(
                "PostgreSQL is unreachable: accepting and journaling; loading starts when it answers",
                metadata: ["error": "\(error)", "smdr.sites.cached": "\(cached?.count ?? 0)"]
            )
            sites = cached ?? []
            authoritative = false
        } catch {
            try? await store.close()
            throw CommandFailure.exit(for: error)
        }

        let pipeline: ServePipeline
        do {
            pipeline = try await ServePipeline.make(
                configuration: configuration, store: store, sites: sites, authoritative: authoritative,
                refresh: { try await SiteList.read(store: store) }, health: health, logger: logger
            )
        } catch let error as SettingsError {
            FileDescriptorOutput.standardError("smdr serve: \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
        // The web app last: it stops first on SIGTERM, before the loaders it does not need.
        var services = pipeline.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        var webStore: PostgresStore?
        var webEndpoint: Endpoint?
        if let endpoint = webSettings.listen {
            let store = PostgresStore(configuration: WebServer.storeConfiguration(connection: loaderConnection))
            webStore = store
            webEndpoint = endpoint
            services.append(.init(service: WebServer.announcing(store: store, settings: webSettings, endpoint: endpoint, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await Self.run(group, pipeline: pipeline, sites: sites, configuration: configuration, logger: logger)
        } catch let error as BindError {
            // Name the address by the setting that asked for it: its port is what to change.
            let setting =
                configuration.listen.contains(error.endpoint) ? "--listen" : error.endpoint == webEndpoint ? "--web" : "--admin"
            FileDescriptorOutput.standardError("smdr serve: \(setting) \(error.endpoint): \(error.reason)\n")
            try? await webStore?.close()
            try? await store.close()
            throw ExitCode(ExitStatus.usage)
        }
        try? await webStore?.close()
        try? await store.close()
    }

    /// Runs the services and logs "smdr serve ready" with the bound addresses once they are bound.
    private static func run(
        _ group: ServiceGroup, pipeline: ServePipeline, sites: [Site], configuration: ServeConfiguration, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let addresses = try await pipeline.listener.boundAddresses()
                var metadata: Logger.Metadata = [
                    "smdr.listen": "\(addresses.map { "\($0)" }.joined(separator: ", "))",
                    "smdr.sites": "\(sites.map(\.name).joined(separator: ", "))",
                    "smdr.data": "\(configuration.dataDirectory)",
                ]
                if let admin = pipeline.admin { metadata["smdr.admin"] = "\(try await admin.boundAddress)" }
                logger.notice("smdr serve ready", metadata: metadata)
            }
            try await tasks.waitForAll()
        }
    }

    /// Takes `DATA/serve.lock`, or exits 2 naming the process that holds it.
    private static func lockDataDirectory(_ dataDirectory: String) async throws -> DirectoryLock {
        let path = (dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory) + "/serve.lock"
        do {
            return try await DirectoryLock.acquire(path: path)
        } catch let error as DirectoryLockError {
            let holder = error.holder.map { "smdr serve (PID \($0))" } ?? "another smdr serve"
            FileDescriptorOutput.standardError(
                "smdr serve: data directory \(dataDirectory) is in use by \(holder), which holds \(path): "
                    + "stop it first, or give this instance its own --data-dir / SMDR_DATA\n"
            )
            throw ExitCode(ExitStatus.usage)
        } catch {
            FileDescriptorOutput.standardError("smdr serve: cannot lock the data directory \(dataDirectory): \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
    }

    private var flags: ServeConfiguration.Flags {
        var flags = ServeConfiguration.Flags()
        flags.listen = self.listen
        flags.connect = self.connect
        flags.admin = self.admin
        flags.dataDirectory = self.database.dataDirectory
        flags.maximumConnections = self.maxConnections
        flags.maximumLineLength = self.maxLineLength
        flags.idleTimeout = self.idleTimeout
        flags.readBufferSize = self.readBufferSize
        flags.maximumBufferedLines = self.maxBufferedLines
        flags.connectTimeout = self.connectTimeout
        flags.reconnectMaximumDelay = self.reconnectMaxDelay
        flags.journalMaximumBytes = self.journalMaxBytes
        flags.journalSegmentBytes = self.journalSegmentBytes
        flags.journalArchive = self.journalArchive
        flags.flushInterval = self.flushInterval
        flags.flushLines = self.flushLines
        flags.loadBatchLines = self.loadBatchLines
        flags.loadRetryMaximumDelay = self.loadRetryMaxDelay
        flags.shutdownGrace = self.shutdownGrace
        flags.statementTimeout = self.statementTimeout
        flags.databaseKeepalive = self.databaseKeepalive
        flags.healthTimeout = self.healthTimeout
        flags.siteRefreshInterval = self.siteRefreshInterval
        flags.rateInterval = self.rateInterval
        return flags
    }

    /// Structured logs to standard error, at the given level.
    static func bootstrapLogging(level text: String?) throws -> Logger {
        let level: Logger.Level
        if let text {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                FileDescriptorOutput.standardError(
                    "smdr: log level: expected trace, debug, info, notice, warning, error or critical, got '\(text)'\n"
                )
                throw ExitCode(ExitStatus.usage)
            }
            level = parsed
        } else {
            level = .info
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "smdr")
    }
}
