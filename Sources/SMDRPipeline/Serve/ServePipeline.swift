import Foundation
public import Logging
public import SMDRListener
public import SMDRPostgres
public import ServiceLifecycle

/// The services of `smdr serve`, wired: one journal and one loader per site, the listener, and
/// the admin server.
///
/// ``services`` is in start order; `ServiceGroup` shuts services down in reverse order, so on
/// SIGTERM the listener stops first (draining connections into the journals), then the loaders
/// load what is left, then the journals close, and the admin server answers until the end.
public struct ServePipeline: Sendable {
    public let services: [any Service]
    public let listener: Listener
    public let admin: AdminServer?
    public let metrics: PipelineMetrics

    /// Opens the journals and assembles the services.
    ///
    /// - Parameter sites: every site of the database (with ids); each gets a journal and a loader.
    /// - Throws: ``SettingsError`` for a connect target without a site, ``JournalError``,
    ///   ``ListenerConfigurationError``.
    public static func make(
        configuration: ServeConfiguration,
        store: PostgresStore,
        sites: [SiteRecord],
        logger: Logger
    ) async throws -> ServePipeline {
        let metrics = PipelineMetrics()
        let depth = JournalDepth()
        let observability = ListenerMetrics(metrics: metrics, depth: depth, logger: logger)

        var listenerSites: [SMDRListener.Site] = []
        for record in sites {
            var ranges: [IPAddressRange] = []
            for text in record.allowedPeers {
                guard let range = IPAddressRange(text) else {
                    throw SettingsError(name: "site \(record.name)", message: "allowed peer '\(text)' is not a CIDR")
                }
                ranges.append(range)
            }
            listenerSites.append(SMDRListener.Site(name: record.name, allowedPeers: ranges))
        }
        let policy = try PeerPolicy(sites: listenerSites)

        var listenerConfiguration = configuration.listener
        listenerConfiguration.listen = configuration.listen
        listenerConfiguration.sites = listenerSites
        for (site, endpoint) in configuration.connect {
            let name: String
            if let site {
                guard sites.contains(where: { $0.name == site }) else {
                    throw SettingsError(name: "SMDR_CONNECT", message: "no site named '\(site)': add it with smdr site add")
                }
                name = site
            } else {
                guard let address = IPAddress(endpoint.host), let match = policy.site(for: address) else {
                    throw SettingsError(
                        name: "SMDR_CONNECT",
                        message: "no site allows \(endpoint.host): write SITE=\(endpoint) or add the address to a site"
                    )
                }
                name = match
            }
            listenerConfiguration.connect.append(ConnectTarget(endpoint: endpoint, site: name))
        }

        var journals: [String: Journal] = [:]
        var loaders: [JournalLoader] = []
        for record in sites {
            guard let site = record.site else { continue }
            let directory = Journal.directory(forSite: record.name, dataDirectory: configuration.dataDirectory)
            let journal = try await Journal.open(
                directory: directory, site: record.name, configuration: configuration.journal,
                logger: logger, observability: observability
            )
            journals[record.name] = journal
            loaders.append(
                JournalLoader(
                    site: record.name,
                    journal: journal,
                    stream: try JournalIdentity.stream(directory: directory),
                    writer: try IngestWriter(store: store, site: site, configuration: Self.writerConfiguration(configuration)),
                    configuration: configuration.loader,
                    metrics: metrics,
                    depth: depth,
                    logger: logger
                )
            )
        }

        let listener = try Listener(
            configuration: listenerConfiguration, journals: journals, logger: logger, observability: observability
        )
        let openJournals = journals
        let admin = configuration.admin.map { adminConfiguration in
            AdminServer(
                configuration: adminConfiguration,
                metrics: { metrics.render() },
                health: { await Self.health(store: store, journals: openJournals) },
                logger: logger
            )
        }
        let journalServices: [any Service] = journals.keys.sorted().compactMap { journals[$0] }
        let services: [any Service] = (admin.map { [$0] } ?? []) + journalServices + loaders + [listener]
        return ServePipeline(services: services, listener: listener, admin: admin, metrics: metrics)
    }

    /// The loader commits asynchronously and flushes periodically (see ``JournalLoader``).
    private static func writerConfiguration(_ configuration: ServeConfiguration) -> IngestWriter.Configuration {
        var writer = IngestWriter.Configuration()
        writer.waitsForDurableCommit = false
        writer.maximumBatchLines = configuration.loader.batchLines
        return writer
    }

    /// `/healthz`: healthy when PostgreSQL answers within 2 s.
    static func health(store: PostgresStore, journals: [String: Journal]) async -> AdminServer.Health {
        var details: [String] = []
        let database: String
        do {
            try await withThrowingTaskGroup { group in
                group.addTask { _ = try await store.withConnection { try $0.execute("SELECT 1") } }
                group.addTask {
                    try await Task.sleep(for: .seconds(2))
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
            database = "ok"
        } catch is CancellationError {
            database = "no answer within 2 s"
        } catch {
            database = "unavailable (\(error))"
        }
        details.append("database: \(database)")
        for (name, journal) in journals.sorted(by: { $0.key < $1.key }) {
            details.append("journal \(name): \(journal.retainedBytes) bytes on disk")
        }
        return AdminServer.Health(isHealthy: database == "ok", details: details)
    }
}
