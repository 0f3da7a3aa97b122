public import SMDRListener
import SMDRPostgres

/// Everything `smdr serve` runs with, resolved from flags, environment and configuration file.
///
/// ``settings`` lists every setting once, with its environment variable, flag, default and
/// meaning; the README's settings table is this list.
public struct ServeConfiguration: Sendable {
    /// Where IP Offices in send mode connect. Defaults to `0.0.0.0:5100` when neither
    /// `listen` nor `connect` is set.
    public var listen: [Endpoint]
    /// IP Offices in listen mode to dial, each with its site (or the site whose allowed peers hold its address).
    public var connect: [(site: String?, endpoint: Endpoint)]
    /// The admin HTTP port (`/metrics`, `/healthz`); `nil` when switched off.
    public var admin: AdminServer.Configuration?
    /// Data directory: journals under `journal/<site>`, the embedded PostgreSQL under `postgres`.
    public var dataDirectory: String
    public var listener: ListenerConfiguration
    public var journal: Journal.Configuration
    public var loader: JournalLoader.Configuration

    /// One setting: its environment variable (also its name in the configuration file), its
    /// flag, its default as text and what it does.
    public struct Setting: Sendable {
        public var environment: String
        public var flag: String
        public var defaultValue: String
        public var meaning: String
    }

    public static let settings: [Setting] = [
        Setting(environment: "SMDR_LISTEN", flag: "--listen", defaultValue: "0.0.0.0:5100",
                meaning: "HOST:PORT to accept IP Offices in send mode on; repeatable (comma-separated in the environment). The default applies only when neither --listen nor --connect is given."),
        Setting(environment: "SMDR_CONNECT", flag: "--connect", defaultValue: "none",
                meaning: "[SITE=]HOST:PORT of an IP Office in listen mode (its default) to dial, reconnecting with capped exponential backoff; repeatable. Without SITE=, the site whose allowed peers contain HOST."),
        Setting(environment: "SMDR_ADMIN", flag: "--admin", defaultValue: "127.0.0.1:9464",
                meaning: "HOST:PORT of the admin HTTP server (/metrics, /healthz); off to disable."),
        Setting(environment: "SMDR_DATA", flag: "--data-dir", defaultValue: "/var/lib/smdr or ~/.local/share/smdr",
                meaning: "Data directory: journals in journal/SITE, the embedded PostgreSQL in postgres. The default is /var/lib/smdr when run as root or when that directory exists, else $XDG_DATA_HOME/smdr (~/.local/share/smdr)."),
        Setting(environment: "SMDR_MAX_CONNECTIONS", flag: "--max-connections", defaultValue: "1024",
                meaning: "Most inbound PBX connections open at once; more are closed at once and counted."),
        Setting(environment: "SMDR_MAX_LINE_LENGTH", flag: "--max-line-length", defaultValue: "4096",
                meaning: "Longest line kept whole, in bytes; a longer one is stored truncated and rejected, and the connection stays up."),
        Setting(environment: "SMDR_IDLE_TIMEOUT", flag: "--idle-timeout", defaultValue: "7d",
                meaning: "Close a connection that sent nothing for this long; 0 never closes (a PBX may hold a connection for days)."),
        Setting(environment: "SMDR_READ_BUFFER_SIZE", flag: "--read-buffer-size", defaultValue: "64KiB",
                meaning: "Largest single socket read."),
        Setting(environment: "SMDR_MAX_BUFFERED_LINES", flag: "--max-buffered-lines", defaultValue: "256",
                meaning: "Lines a connection holds before its socket stops being read (the path of TCP backpressure)."),
        Setting(environment: "SMDR_CONNECT_TIMEOUT", flag: "--connect-timeout", defaultValue: "10s",
                meaning: "Longest time one dial in connect mode may take."),
        Setting(environment: "SMDR_RECONNECT_MAX_DELAY", flag: "--reconnect-max-delay", defaultValue: "60s",
                meaning: "Cap of the reconnect backoff in connect mode (it starts at 1 s and doubles)."),
        Setting(environment: "SMDR_JOURNAL_MAX_BYTES", flag: "--journal-max-bytes", defaultValue: "1GiB",
                meaning: "Journal size limit per site; when reached, reading from that site's sockets pauses until the loader frees room."),
        Setting(environment: "SMDR_JOURNAL_SEGMENT_BYTES", flag: "--journal-segment-bytes", defaultValue: "64MiB",
                meaning: "Size of one journal segment file; loaded segments are deleted (or archived) whole."),
        Setting(environment: "SMDR_JOURNAL_ARCHIVE", flag: "--journal-archive", defaultValue: "false",
                meaning: "Keep loaded journal segments in journal/SITE/archive instead of deleting them."),
        Setting(environment: "SMDR_FLUSH_INTERVAL", flag: "--flush-interval", defaultValue: "50ms",
                meaning: "Group commit: the longest a received line waits for its fsync."),
        Setting(environment: "SMDR_FLUSH_LINES", flag: "--flush-lines", defaultValue: "1000",
                meaning: "Group commit: fsync at once when this many lines are waiting."),
        Setting(environment: "SMDR_LOAD_BATCH_LINES", flag: "--load-batch-lines", defaultValue: "5000",
                meaning: "Most journal lines loaded into PostgreSQL in one transaction."),
        Setting(environment: "SMDR_LOAD_RETRY_MAX_DELAY", flag: "--load-retry-max-delay", defaultValue: "30s",
                meaning: "Cap of the retry backoff while PostgreSQL is unavailable (it starts at 0.5 s and doubles)."),
        Setting(environment: "SMDR_SHUTDOWN_GRACE", flag: "--shutdown-grace", defaultValue: "10s",
                meaning: "On SIGTERM, how long open connections may deliver what is in flight; the loader then has as long again to load the rest."),
    ]

    /// Values given on the command line; `nil` or empty means "not given".
    public struct Flags: Sendable {
        public var listen: [String] = []
        public var connect: [String] = []
        public var admin: String?
        public var dataDirectory: String?
        public var maximumConnections: Int?
        public var maximumLineLength: Int?
        public var idleTimeout: String?
        public var readBufferSize: String?
        public var maximumBufferedLines: Int?
        public var connectTimeout: String?
        public var reconnectMaximumDelay: String?
        public var journalMaximumBytes: String?
        public var journalSegmentBytes: String?
        public var journalArchive: Bool?
        public var flushInterval: String?
        public var flushLines: Int?
        public var loadBatchLines: Int?
        public var loadRetryMaximumDelay: String?
        public var shutdownGrace: String?

        public init() {}
    }

    /// Resolves every setting: flag, else environment, else configuration file, else default.
    ///
    /// - Throws: ``SettingsError`` naming the first setting whose value cannot be used.
    public static func resolve(flags: Flags, source: SettingsSource) throws(SettingsError) -> ServeConfiguration {
        func parsed<T>(
            _ name: String, _ flag: String?, _ defaultValue: T, _ expected: String, _ parse: (String) -> T?
        ) throws(SettingsError) -> T {
            guard let flag else {
                return try source.value(name, flag: nil, default: defaultValue, expected: expected, parse: parse)
            }
            guard let value = parse(flag) else {
                throw SettingsError(name: name, message: "expected \(expected), got '\(flag)' (from the command line)")
            }
            return value
        }
        func duration(_ name: String, _ flag: String?, _ defaultValue: Duration) throws(SettingsError) -> Duration {
            try parsed(name, flag, defaultValue, SettingValue.durationExpectation, SettingValue.duration)
        }
        func size(_ name: String, _ flag: String?, _ defaultValue: Int64) throws(SettingsError) -> Int64 {
            let value = try parsed(name, flag, defaultValue, SettingValue.sizeExpectation, SettingValue.size)
            guard value > 0 else {
                throw SettingsError(name: name, message: "expected \(SettingValue.sizeExpectation), larger than 0")
            }
            return value
        }
        func integer(_ name: String, _ flag: Int?, _ defaultValue: Int) throws(SettingsError) -> Int {
            if let flag, flag <= 0 {
                throw SettingsError(name: name, message: "expected \(SettingValue.positiveIntegerExpectation), got \(flag)")
            }
            return try source.value(
                name, flag: flag, default: defaultValue, expected: SettingValue.positiveIntegerExpectation,
                parse: SettingValue.positiveInteger
            )
        }
        func endpoint(_ name: String, _ text: String) throws(SettingsError) -> Endpoint {
            guard let endpoint = Endpoint(text) else {
                throw SettingsError(name: name, message: "expected HOST:PORT (IPv6 as [ADDRESS]:PORT), got '\(text)'")
            }
            return endpoint
        }

        var listen: [Endpoint] = []
        for text in source.list("SMDR_LISTEN", flags: flags.listen) { listen.append(try endpoint("SMDR_LISTEN", text)) }
        var connect: [(site: String?, endpoint: Endpoint)] = []
        for text in source.list("SMDR_CONNECT", flags: flags.connect) {
            if let equals = text.firstIndex(of: "=") {
                let site = String(text[..<equals])
                guard !site.isEmpty else {
                    throw SettingsError(name: "SMDR_CONNECT", message: "expected SITE=HOST:PORT, got '\(text)'")
                }
                connect.append((site, try endpoint("SMDR_CONNECT", String(text[text.index(after: equals)...]))))
            } else {
                connect.append((nil, try endpoint("SMDR_CONNECT", text)))
            }
        }
        if listen.isEmpty && connect.isEmpty { listen = [Endpoint(host: "0.0.0.0", port: 5100)] }

        let adminText = flags.admin ?? source.text("SMDR_ADMIN") ?? "127.0.0.1:9464"
        var admin: AdminServer.Configuration?
        if adminText.lowercased() != "off" {
            let address = try endpoint("SMDR_ADMIN", adminText)
            var configuration = AdminServer.Configuration()
            configuration.host = address.host
            configuration.port = address.port
            admin = configuration
        }

        var listener = ListenerConfiguration()
        listener.maximumConnections = try integer("SMDR_MAX_CONNECTIONS", flags.maximumConnections, 1024)
        listener.maximumLineLength = try integer("SMDR_MAX_LINE_LENGTH", flags.maximumLineLength, 4096)
        listener.idleTimeout = try duration("SMDR_IDLE_TIMEOUT", flags.idleTimeout, .seconds(7 * 86_400))
        listener.readBufferSize = Int(try size("SMDR_READ_BUFFER_SIZE", flags.readBufferSize, 65_536))
        listener.maximumBufferedLines = try integer("SMDR_MAX_BUFFERED_LINES", flags.maximumBufferedLines, 256)
        listener.connectTimeout = try duration("SMDR_CONNECT_TIMEOUT", flags.connectTimeout, .seconds(10))
        listener.reconnectBackoff.maximum = try duration("SMDR_RECONNECT_MAX_DELAY", flags.reconnectMaximumDelay, .seconds(60))
        let grace = try duration("SMDR_SHUTDOWN_GRACE", flags.shutdownGrace, .seconds(10))
        listener.shutdownGracePeriod = grace

        var journal = Journal.Configuration()
        journal.maximumBytes = try size("SMDR_JOURNAL_MAX_BYTES", flags.journalMaximumBytes, 1 << 30)
        journal.segmentSize = Int(try size("SMDR_JOURNAL_SEGMENT_BYTES", flags.journalSegmentBytes, 64 << 20))
        journal.flushInterval = try duration("SMDR_FLUSH_INTERVAL", flags.flushInterval, .milliseconds(50))
        journal.flushLines = try integer("SMDR_FLUSH_LINES", flags.flushLines, 1000)
        let archive = try source.value(
            "SMDR_JOURNAL_ARCHIVE", flag: flags.journalArchive, default: false,
            expected: SettingValue.booleanExpectation, parse: SettingValue.boolean
        )
        journal.releaseMode = archive ? .archive : .delete

        var loader = JournalLoader.Configuration()
        loader.batchLines = try integer("SMDR_LOAD_BATCH_LINES", flags.loadBatchLines, 5000)
        loader.retryMaximumDelay = try duration("SMDR_LOAD_RETRY_MAX_DELAY", flags.loadRetryMaximumDelay, .seconds(30))
        loader.shutdownGracePeriod = grace

        let dataDirectory = DatabaseSelection.dataDirectory(
            option: flags.dataDirectory, environment: source.environmentWithFile
        )
        return ServeConfiguration(
            listen: listen, connect: connect, admin: admin, dataDirectory: dataDirectory,
            listener: listener, journal: journal, loader: loader
        )
    }
}
