import Logging
import SMDRCore
import SMDRJournal
import SMDRListener
import SMDRPostgres
import ServiceLifecycle
import Synchronization

/// Runs one journal and one loader per site, and keeps the set of sites current while `smdr
/// serve` runs.
///
/// - **Sites change without restart.** Every ``ServeConfiguration/siteRefreshInterval`` the site
///   list is read again: a new site gets its journal and loader and is let in by the listener's
///   ``SiteDirectory``; changed allowed networks apply to the next connection; a changed time
///   zone applies to the next batch loaded; a removed site refuses new connections (its
///   journal is still loaded). The list read last is cached in the data directory
///   (``SiteCache``) for a start while PostgreSQL is down.
/// - **A site fails alone.** Each site runs in a service group of its own (journal, then loader,
///   so shutdown stops the loader first). Should its journal fail, that site is reopened after
///   a backoff; the other sites and the listener go on.
final class SiteSupervisor: Service, Sendable {
    /// What one served site runs.
    private struct Served: Sendable {
        var record: Site
        var journal: Journal
        var loader: JournalLoader
    }

    private let configuration: ServeConfiguration
    private let store: PostgresStore
    private let directory: SiteDirectory
    private let metrics: PipelineMetrics
    private let depth: JournalDepth
    private let observability: ListenerMetrics
    private let refresh: @Sendable () async throws -> [Site]
    private let logger: Logger
    private let state: Mutex<State>

    private struct State: Sendable {
        var served: [String: Served] = [:]
        /// The names in the site list read last (a removed site stays in `served`).
        var listed: [Site] = []
    }

    /// - Parameter refresh: reads the current site list from PostgreSQL.
    init(
        configuration: ServeConfiguration,
        store: PostgresStore,
        directory: SiteDirectory,
        metrics: PipelineMetrics,
        depth: JournalDepth,
        observability: ListenerMetrics,
        refresh: @escaping @Sendable () async throws -> [Site],
        logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.directory = directory
        self.metrics = metrics
        self.depth = depth
        self.observability = observability
        self.refresh = refresh
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Opens the journals of `sites` and hands them to the listener, before it starts. A
    /// journal that cannot be opened is logged and tried again at each site-list read.
    func open(_ sites: [Site]) async {
        var served: [String: Served] = [:]
        for record in sites {
            do {
                served[record.name] = try await self.openSite(record)
            } catch {
                // This site alone: the others start, and each site-list read tries it again.
                self.logger.error(
                    "cannot open the site's journal; its PBXs are refused until it opens",
                    metadata: ["smdr.site": "\(record.name)", "error": "\(error)"]
                )
            }
        }
        self.state.withLock {
            $0.served = served
            $0.listed = sites
        }
        self.publish()
    }

    /// The journals served now, by site name (for `/healthz`).
    var journals: [String: Journal] {
        self.state.withLock { $0.served.mapValues(\.journal) }
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for served in self.state.withLock({ Array($0.served.values) }) {
                group.addTask { await self.runSite(served.record.name, first: served) }
            }
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.configuration.siteRefreshInterval) }
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                let records: [Site]
                do {
                    records = try await self.refresh()
                    self.metrics.databaseAvailable(true)
                } catch {
                    self.metrics.databaseAvailable(false)
                    self.logger.debug("cannot read the site list; keeping the current one", metadata: ["error": "\(error)"])
                    continue
                }
                for name in await self.apply(records) {
                    group.addTask { await self.runSite(name, first: nil) }
                }
            }
        }
    }

    // MARK: - Applying a site list

    /// Brings the served sites in line with `records`; returns the names of sites newly opened.
    private func apply(_ records: [Site]) async -> [String] {
        let (previous, served) = self.state.withLock { ($0.listed, $0.served) }
        // Unchanged, and every listed site served (one that failed to open is tried again).
        guard records != previous || records.contains(where: { served[$0.name] == nil }) else { return [] }
        var opened: [String] = []
        for record in records {
            if let current = served[record.name] {
                if current.record.id != record.id || current.record.timeZone != record.timeZone {
                    do {
                        let writer = try self.writer(for: record)
                        (self.state.withLock { $0.served[record.name] } ?? current).loader.use(writer)
                        self.logger.notice(
                            "site changed: new lines load with its new settings",
                            metadata: ["smdr.site": "\(record.name)", "smdr.site.time_zone": "\(record.timeZone)"]
                        )
                    } catch {
                        self.logger.error("site changed, but its new settings cannot be used", metadata: ["smdr.site": "\(record.name)", "error": "\(error)"])
                        continue
                    }
                }
                self.state.withLock { $0.served[record.name]?.record = record }
            } else {
                do {
                    let new = try await self.openSite(record)
                    self.state.withLock { $0.served[record.name] = new }
                    opened.append(record.name)
                    self.logger.notice("site added: accepting its PBXs", metadata: ["smdr.site": "\(record.name)"])
                } catch {
                    self.logger.error("site added, but it cannot be served", metadata: ["smdr.site": "\(record.name)", "error": "\(error)"])
                }
            }
        }
        for removed in previous where !records.contains(where: { $0.name == removed.name }) {
            self.logger.notice("site removed: new connections from its PBXs are refused", metadata: ["smdr.site": "\(removed.name)"])
        }
        self.state.withLock { $0.listed = records }
        self.publish()
        do {
            try await SiteCache.save(records, dataDirectory: self.configuration.dataDirectory)
        } catch {
            self.logger.warning("cannot save the site list cache", metadata: ["error": "\(error)"])
        }
        return opened
    }

    /// Hands the listed, served sites to the listener.
    private func publish() {
        // Under the lock, so that two publishes (a site list read, a site reopened) cannot
        // land in the wrong order.
        self.state.withLock { state in self.publish(listed: state.listed, served: state.served) }
    }

    private func publish(listed: [Site], served: [String: Served]) {
        let (sites, skipped) = PeerPolicy.admissible(listed.filter { served[$0.name] != nil })
        for network in skipped {
            var metadata: Logger.Metadata = ["smdr.site": "\(network.site)", "smdr.allow": "\(network.network)"]
            if let owner = network.owner {
                metadata["smdr.site.owner"] = "\(owner)"
                self.logger.error("network allowed for two sites; ignored for the second", metadata: metadata)
            } else {
                self.logger.error("allowed network is not a CIDR; ignored", metadata: metadata)
            }
        }
        var journals: [String: Journal] = [:]
        for site in sites { journals[site.name] = served[site.name]?.journal }
        do {
            try self.directory.update(sites: sites, journals: journals)
        } catch {
            self.logger.error("site list not applied; the previous one stays in force", metadata: ["error": "\(error)"])
        }
        if sites.isEmpty {
            self.logger.warning(
                "no sites: every PBX connection is refused until one is added (smdr site add); it applies without restart"
            )
        }
    }

    // MARK: - One site

    /// Runs a site's journal and loader until shutdown; reopens them after a failure.
    private func runSite(_ name: String, first: Served?) async {
        guard var served = first ?? self.state.withLock({ $0.served[name] }) else { return }
        var failures = 0  // never reset: a site that keeps failing keeps backing off
        while true {
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: served.journal), .init(service: served.loader)],
                    logger: self.logger
                )
            )
            do {
                try await group.run()
                return
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                self.logger.error(
                    "site's journal failed; reopening it (other sites are not affected)",
                    metadata: [
                        "smdr.site": "\(name)", "error": "\(error)",
                        "smdr.retry.delay": "\(Self.restartBackoff.delay(afterFailures: failures))",
                    ]
                )
            }
            // Reopen with the site's current settings, after a backoff, until it opens.
            while true {
                let wait = Self.restartBackoff.delay(afterFailures: failures)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                failures += 1
                let record = self.state.withLock { $0.served[name]?.record } ?? served.record
                do {
                    served = try await self.openSite(record)
                    self.state.withLock { state in
                        state.served[name] = served
                        self.publish(listed: state.listed, served: state.served)
                    }
                    break
                } catch {
                    self.logger.error("cannot reopen the site's journal", metadata: ["smdr.site": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    /// Delays between attempts to reopen a failed site.
    static let restartBackoff = Backoff(initial: .seconds(1), maximum: .seconds(60))

    private func openSite(_ record: Site) async throws -> Served {
        let directory = Journal.directory(forSite: record.name, dataDirectory: self.configuration.dataDirectory)
        let journal = try await Journal.open(
            directory: directory, site: record.name, configuration: self.configuration.journal,
            logger: self.logger, observability: self.observability
        )
        let loader = JournalLoader(
            site: record.name,
            journal: journal,
            stream: try JournalIdentity.stream(directory: directory),
            writer: try self.writer(for: record),
            configuration: self.configuration.loader,
            metrics: self.metrics,
            depth: self.depth,
            logger: self.logger
        )
        return Served(record: record, journal: journal, loader: loader)
    }

    private func writer(for record: Site) throws -> IngestStore {
        var writer = IngestStore.Configuration()
        // The loader commits asynchronously and flushes periodically (see JournalLoader).
        writer.waitsForDurableCommit = false
        return try IngestStore(store: self.store, site: record, configuration: writer)
    }
}
