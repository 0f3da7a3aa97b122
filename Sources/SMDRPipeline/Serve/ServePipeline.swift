import Foundation
public import Logging
public import SMDRCore
import SMDRJournal
public import SMDRListener
public import SMDRPostgres
public import ServiceLifecycle

/// The services of `smdr serve`, wired: the sites (a journal and a loader each), the listener,
/// the admin server, and the rater.
///
/// ``services`` is in start order; `ServiceGroup` shuts services down in reverse order, so on
/// SIGTERM the listener stops first (draining connections into the journals), then each site's
/// loader loads what is left and its journal closes, and the admin server answers until the end.
public struct ServePipeline: Sendable {
    public let services: [any Service]
    public let listener: Listener
    public let admin: AdminServer?
    public let metrics: PipelineMetrics

    /// Opens the journals of `sites` and assembles the services.
    ///
    /// - Parameters:
    ///   - sites: the sites known at start, with ids: read from the database, or from the cache
    ///     of the last start when the database is down (`authoritative` false).
    ///   - refresh: reads the current site list; called every ``ServeConfiguration/siteRefreshInterval``.
    ///   - health: the `/healthz` database probe.
    /// - Throws: ``SettingsError`` for a connect target without a site, ``JournalError``,
    ///   ``ListenerConfigurationError``.
    public static func make(
        configuration: ServeConfiguration,
        store: PostgresStore,
        sites: [Site],
        authoritative: Bool,
        refresh: @escaping @Sendable () async throws -> [Site],
        health: HealthProbe,
        logger: Logger
    ) async throws -> ServePipeline {
        let metrics = PipelineMetrics()
        let depth = JournalDepth()
        let observability = ListenerMetrics(metrics: metrics, depth: depth, logger: logger)
        let directory = try SiteDirectory()

        var listenerConfiguration = configuration.listener
        listenerConfiguration.listen = configuration.listen
        // For connect targets without SITE=: the networks the listener admits (the supervisor
        // logs the ones it skips).
        let policy = try? PeerPolicy(sites: PeerPolicy.admissible(sites).sites)
        for (site, endpoint) in configuration.connect {
            let name: String
            if let site {
                if !sites.contains(where: { $0.name == site }) {
                    guard !authoritative else {
                        throw SettingsError(name: "SMDR_CONNECT", message: "no site named '\(site)': add it with smdr site add")
                    }
                    logger.warning("connect target's site is not known yet; dialling starts once it is", metadata: ["smdr.site": "\(site)"])
                }
                name = site
            } else {
                guard let address = IPAddress(endpoint.host), let match = policy?.site(for: address) else {
                    throw SettingsError(
                        name: "SMDR_CONNECT",
                        message: "no site allows \(endpoint.host): write SITE=\(endpoint) or add the address to a site"
                    )
                }
                name = match
            }
            listenerConfiguration.connect.append(ConnectTarget(endpoint: endpoint, site: name))
        }

        let supervisor = SiteSupervisor(
            configuration: configuration, store: store, directory: directory, metrics: metrics,
            depth: depth, observability: observability, refresh: refresh, logger: logger
        )
        await supervisor.open(sites)
        let listener = try Listener(
            configuration: listenerConfiguration, sites: directory, logger: logger, observability: observability
        )
        let admin = configuration.admin.map { adminConfiguration in
            AdminServer(
                configuration: adminConfiguration,
                metrics: { metrics.render() },
                health: { await Self.health(probe: health, journals: supervisor.journals, metrics: metrics) },
                logger: logger
            )
        }
        // Shut down first: a rating run in progress finishes before the loaders stop.
        let rater = configuration.rateInterval.map { RatingService(interval: $0, connection: store.configuration.connection, logger: logger) }
        let services: [any Service] = (admin.map { [$0] } ?? []) + [supervisor, listener] + (rater.map { [$0] } ?? [])
        return ServePipeline(services: services, listener: listener, admin: admin, metrics: metrics)
    }

    /// `/healthz`: healthy when PostgreSQL answers within the probe's timeout.
    static func health(probe: HealthProbe, journals: [String: Journal], metrics: PipelineMetrics) async -> AdminServer.Health {
        let database: String
        switch await probe.check() {
        case .answered: database = "ok"
        case .failed(let error): database = "unavailable (\(error))"
        case .noAnswer(let timeout): database = "no answer within \(timeout)"
        }
        metrics.databaseAvailable(database == "ok")
        var details = ["database: \(database)"]
        if journals.isEmpty { details.append("sites: none (every PBX connection is refused until one is added)") }
        for (name, journal) in journals.sorted(by: { $0.key < $1.key }) {
            details.append("journal \(name): \(journal.retainedBytes) bytes on disk")
        }
        return AdminServer.Health(isHealthy: database == "ok", details: details)
    }
}
