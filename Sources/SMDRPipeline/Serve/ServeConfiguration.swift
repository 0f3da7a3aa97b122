public import SMDRJournal
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
    /// Limits of every PostgreSQL connection `serve` opens.
    public var database: DatabaseLimits
    /// How often the site list is read again, so a site added or changed applies without restart.
    public var siteRefreshInterval: Duration
    /// How often new calls are matched and rated (`smdr rate`); `nil` when switched off.
    public var rateInterval: Duration?

    /// Timeouts that keep a hung or unreachable PostgreSQL from hanging `serve`.
    public struct DatabaseLimits: Sendable {
        /// `statement_timeout` of loader connections (`SMDR_STATEMENT_TIMEOUT`).
        public var statementTimeout: Duration
        /// TCP keepalive idle time of database connections (`SMDR_DATABASE_KEEPALIVE`).
        public var keepalive: Duration
        /// How long `/healthz` waits for PostgreSQL to answer (`SMDR_HEALTH_TIMEOUT`).
        public var healthTimeout: Duration

        public init(statementTimeout: Duration, keepalive: Duration, healthTimeout: Duration) {
            self.statementTimeout = statementTimeout
            self.keepalive = keepalive
            self.healthTimeout = healthTimeout
        }
    }

    /// One setting: its environment variable (also its name in the configuration file), its
    /// flag, its default as text and what it does.
    ///
    /// The default here is the only one: ``resolve(flags:source:)`` parses it like a value given,
    /// and the library configurations (``ListenerConfiguration``, ``Journal/Configuration``,
    /// ``JournalLoader/Configuration``, ``AdminServer/Configuration``, ``DatabaseLimits``) have
    /// none of their own for these settings.
    public struct Setting: Sendable {
        public var environment: String
        public var flag: String
        public var defaultValue: String
        public var meaning: String

        package init(environment: String, flag: String, defaultValue: String, meaning: String) {
            self.environment = environment
            self.flag = flag
            self.defaultValue = defaultValue
            self.meaning = meaning
        }
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
        Setting(environment: "SMDR_STATEMENT_TIMEOUT", flag: "--statement-timeout", defaultValue: "60s",
                meaning: "Longest a loader's database statement may run before PostgreSQL cancels it (statement_timeout); the batch is then retried. 0: no limit."),
        Setting(environment: "SMDR_DATABASE_KEEPALIVE", flag: "--database-keepalive", defaultValue: "30s",
                meaning: "TCP keepalive of database connections: idle time before the first probe (then every 10 s, dead after 3 unanswered), so a vanished server is noticed. Ignored on Unix sockets. 0: off."),
        Setting(environment: "SMDR_HEALTH_TIMEOUT", flag: "--health-timeout", defaultValue: "2s",
                meaning: "Longest /healthz waits for PostgreSQL to answer before it reports 503; the probe runs on its own connection and thread."),
        Setting(environment: "SMDR_SITE_REFRESH_INTERVAL", flag: "--site-refresh-interval", defaultValue: "5s",
                meaning: "How often the site list is read from PostgreSQL: a site added or changed (smdr site add, smdr site set) applies within this time, without restart."),
        Setting(environment: "SMDR_RATE_INTERVAL", flag: "--rate-interval", defaultValue: "5m",
                meaning: "How often new calls are matched and rated, as smdr rate does, on a connection of its own (never delaying the loaders); off to disable (then run smdr rate from cron or a timer)."),
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
        public var statementTimeout: String?
        public var databaseKeepalive: String?
        public var healthTimeout: String?
        public var siteRefreshInterval: String?
        public var rateInterval: String?

        public init() {}
    }

    /// The default of a setting as text, `1GiB` for `SMDR_JOURNAL_MAX_BYTES`.
    static func defaultText(of environment: String) -> String {
        guard let setting = Self.settings.first(where: { $0.environment == environment }) else {
            preconditionFailure("\(environment) is not in ServeConfiguration.settings")
        }
        return setting.defaultValue
    }

    /// The flag of a setting, `--journal-max-bytes` for `SMDR_JOURNAL_MAX_BYTES`.
    public static func flag(of environment: String) -> String {
        Self.settings.first { $0.environment == environment }?.flag ?? environment
    }

    /// Resolves every setting: flag, else environment, else configuration file, else default.
    ///
    /// - Throws: ``SettingsError`` naming the first setting whose value cannot be used: by its
    ///   flag when the value came from the command line, else by its environment variable, with
    ///   the value and what is expected.
    public static func resolve(flags: Flags, source: SettingsSource) throws(SettingsError) -> ServeConfiguration {
        /// How an error names a setting: by its flag when the value came from the command line or
        /// is the default, by its variable when the environment or the file gave it.
        func origin(_ name: String, given flag: Bool) -> String {
            flag || source.text(name) == nil ? Self.flag(of: name) : name
        }
        /// The setting's default from ``settings``, parsed like a given value.
        func defaultValue<T>(_ name: String, _ parse: (String) -> T?) -> T {
            guard let value = parse(Self.defaultText(of: name)) else {
                preconditionFailure("the default of \(name) in ServeConfiguration.settings does not parse")
            }
            return value
        }
        func parsed<T>(
            _ name: String, _ flag: String?, _ expected: String, _ parse: (String) -> T?
        ) throws(SettingsError) -> T {
            guard let flag else {
                return try source.value(name, flag: nil, default: defaultValue(name, parse), expected: expected, parse: parse)
            }
            guard let value = parse(flag) else {
                throw SettingsError(name: Self.flag(of: name), message: "expected \(expected), got '\(flag)'")
            }
            return value
        }
        func duration(_ name: String, _ flag: String?, positive: Bool = false) throws(SettingsError) -> Duration {
            guard positive else {
                return try parsed(name, flag, SettingValue.durationExpectation, SettingValue.duration)
            }
            return try parsed(name, flag, SettingValue.durationExpectation + ", larger than 0") {
                SettingValue.duration($0).flatMap { $0 > .zero ? $0 : nil }
            }
        }
        func size(_ name: String, _ flag: String?, minimum: Int64 = 1) throws(SettingsError) -> Int64 {
            let expected = "\(SettingValue.sizeExpectation), at least \(minimum)"
            return try parsed(name, flag, expected) { SettingValue.size($0).flatMap { $0 >= minimum ? $0 : nil } }
        }
        func integer(_ name: String, _ flag: Int?, minimum: Int = 1) throws(SettingsError) -> Int {
            let expected = minimum == 1 ? SettingValue.positiveIntegerExpectation : "a whole number of at least \(minimum)"
            if let flag, flag < minimum {
                throw SettingsError(name: Self.flag(of: name), message: "expected \(expected), got '\(flag)'")
            }
            let parse = { (text: String) in Int(text).flatMap { $0 >= minimum ? $0 : nil } }
            return try source.value(name, flag: flag, default: defaultValue(name, parse), expected: expected, parse: parse)
        }
        func endpoint(_ name: String, _ text: String) throws(SettingsError) -> Endpoint {
            guard let endpoint = Endpoint(text) else {
                throw SettingsError(name: name, message: "expected HOST:PORT (IPv6 as [ADDRESS]:PORT), got '\(text)'")
            }
            return endpoint
        }

        let listenName = origin("SMDR_LISTEN", given: !flags.listen.isEmpty)
        var listen: [Endpoint] = []
        for text in source.list("SMDR_LISTEN", flags: flags.listen) { listen.append(try endpoint(listenName, text)) }
        let connectName = origin("SMDR_CONNECT", given: !flags.connect.isEmpty)
        var connect: [(site: String?, endpoint: Endpoint)] = []
        for text in source.list("SMDR_CONNECT", flags: flags.connect) {
            if let equals = text.lastIndex(of: "=") {  // a host has no "=", a site name may
                let site = String(text[..<equals])
                guard !site.isEmpty else {
                    throw SettingsError(name: connectName, message: "expected SITE=HOST:PORT, got '\(text)'")
                }
                connect.append((site, try endpoint(connectName, String(text[text.index(after: equals)...]))))
            } else {
                connect.append((nil, try endpoint(connectName, text)))
            }
        }
        if listen.isEmpty && connect.isEmpty {
            listen = defaultValue("SMDR_LISTEN") { Endpoint($0).map { [$0] } }
        }

        let adminText = flags.admin ?? source.text("SMDR_ADMIN") ?? Self.defaultText(of: "SMDR_ADMIN")
        var admin: AdminServer.Configuration?
        if adminText.lowercased() != "off" {
            let address = try endpoint(origin("SMDR_ADMIN", given: flags.admin != nil), adminText)
            admin = AdminServer.Configuration(host: address.host, port: address.port)
        }

        let maximumConnections = try integer("SMDR_MAX_CONNECTIONS", flags.maximumConnections)
        let maximumLineLength = try integer("SMDR_MAX_LINE_LENGTH", flags.maximumLineLength)
        let idleTimeout = try duration("SMDR_IDLE_TIMEOUT", flags.idleTimeout)
        let readBufferSize = Int(try size("SMDR_READ_BUFFER_SIZE", flags.readBufferSize, minimum: 256))
        let maximumBufferedLines = try integer("SMDR_MAX_BUFFERED_LINES", flags.maximumBufferedLines, minimum: 4)
        let connectTimeout = try duration("SMDR_CONNECT_TIMEOUT", flags.connectTimeout, positive: true)
        let reconnectMaximumDelay = try duration("SMDR_RECONNECT_MAX_DELAY", flags.reconnectMaximumDelay)
        guard reconnectMaximumDelay >= ListenerConfiguration.reconnectInitialDelay else {
            throw SettingsError(
                name: origin("SMDR_RECONNECT_MAX_DELAY", given: flags.reconnectMaximumDelay != nil),
                message: "expected at least the first reconnect delay, \(ListenerConfiguration.reconnectInitialDelay), "
                    + "got '\(flags.reconnectMaximumDelay ?? source.text("SMDR_RECONNECT_MAX_DELAY") ?? "")'"
            )
        }
        let grace = try duration("SMDR_SHUTDOWN_GRACE", flags.shutdownGrace)
        let listener = ListenerConfiguration(
            maximumConnections: maximumConnections,
            maximumLineLength: maximumLineLength,
            idleTimeout: idleTimeout,
            readBufferSize: readBufferSize,
            maximumBufferedLines: maximumBufferedLines,
            connectTimeout: connectTimeout,
            reconnectMaximumDelay: reconnectMaximumDelay,
            shutdownGracePeriod: grace
        )

        let segmentSize = Int(try size("SMDR_JOURNAL_SEGMENT_BYTES", flags.journalSegmentBytes, minimum: 4096))
        guard segmentSize <= 1 << 30 else {
            throw SettingsError(
                name: origin("SMDR_JOURNAL_SEGMENT_BYTES", given: flags.journalSegmentBytes != nil),
                message: "expected a size from 4KiB to 1GiB, got '\(flags.journalSegmentBytes ?? source.text("SMDR_JOURNAL_SEGMENT_BYTES") ?? "")'"
            )
        }
        let maximumBytes = try size("SMDR_JOURNAL_MAX_BYTES", flags.journalMaximumBytes)
        guard maximumBytes >= 2 * Int64(segmentSize) else {
            // The journal needs room for the segment being written and one more.
            let segmentName = origin("SMDR_JOURNAL_SEGMENT_BYTES", given: flags.journalSegmentBytes != nil)
            throw SettingsError(
                name: origin("SMDR_JOURNAL_MAX_BYTES", given: flags.journalMaximumBytes != nil),
                message: "expected at least twice \(segmentName) (\(segmentSize) bytes), that is "
                    + "\(2 * Int64(segmentSize)) bytes or more, got "
                    + "'\(flags.journalMaximumBytes ?? source.text("SMDR_JOURNAL_MAX_BYTES") ?? "")'; "
                    + "or set a smaller \(segmentName)"
            )
        }
        let flushInterval = try duration("SMDR_FLUSH_INTERVAL", flags.flushInterval)
        let flushLines = try integer("SMDR_FLUSH_LINES", flags.flushLines)
        let archive = try source.value(
            "SMDR_JOURNAL_ARCHIVE", flag: flags.journalArchive, default: defaultValue("SMDR_JOURNAL_ARCHIVE", SettingValue.boolean),
            expected: SettingValue.booleanExpectation, parse: SettingValue.boolean
        )
        let journal = Journal.Configuration(
            segmentSize: segmentSize, maximumBytes: maximumBytes, flushInterval: flushInterval, flushLines: flushLines,
            releaseMode: archive ? .archive : .delete
        )

        let loader = JournalLoader.Configuration(
            batchLines: try integer("SMDR_LOAD_BATCH_LINES", flags.loadBatchLines),
            retryMaximumDelay: try duration("SMDR_LOAD_RETRY_MAX_DELAY", flags.loadRetryMaximumDelay),
            shutdownGracePeriod: grace
        )

        let database = DatabaseLimits(
            statementTimeout: try duration("SMDR_STATEMENT_TIMEOUT", flags.statementTimeout),
            keepalive: try duration("SMDR_DATABASE_KEEPALIVE", flags.databaseKeepalive),
            healthTimeout: try duration("SMDR_HEALTH_TIMEOUT", flags.healthTimeout)
        )
        let siteRefreshInterval = try duration("SMDR_SITE_REFRESH_INTERVAL", flags.siteRefreshInterval)
        for (name, value) in [("SMDR_HEALTH_TIMEOUT", database.healthTimeout), ("SMDR_SITE_REFRESH_INTERVAL", siteRefreshInterval)]
        where value <= .zero {
            throw SettingsError(name: name, message: "expected a duration larger than 0, got 0")
        }

        let rateText = flags.rateInterval ?? source.text("SMDR_RATE_INTERVAL") ?? Self.defaultText(of: "SMDR_RATE_INTERVAL")
        var rateInterval: Duration?
        if rateText.lowercased() != "off" {
            guard let interval = SettingValue.duration(rateText), interval > .zero else {
                throw SettingsError(
                    name: origin("SMDR_RATE_INTERVAL", given: flags.rateInterval != nil),
                    message: "expected \(SettingValue.durationExpectation), larger than 0, or off; got '\(rateText)'"
                )
            }
            rateInterval = interval
        }

        let dataDirectory = DatabaseSelection.dataDirectory(
            option: flags.dataDirectory, environment: source.environmentWithFile
        )
        return ServeConfiguration(
            listen: listen, connect: connect, admin: admin, dataDirectory: dataDirectory,
            listener: listener, journal: journal, loader: loader, database: database,
            siteRefreshInterval: siteRefreshInterval, rateInterval: rateInterval
        )
    }
}
