public import Prometheus
import SMDRJournal
import SMDRListener
import Synchronization

/// The Prometheus metrics of one running pipeline, served on the admin port's `/metrics`.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `smdr_bytes_received_total` | counter | `site` |
/// | `smdr_lines_received_total` | counter | `site` — journaled (durable) lines |
/// | `smdr_lines_loaded_total` | counter | `site`, `result` = `new` \| `duplicate` \| `rejected` |
/// | `smdr_lines_rejected_total` | counter | `site`, `code` — parse error code or `lineTooLong` |
/// | `smdr_connections_open` | gauge | — |
/// | `smdr_connections_total` | counter | `mode` = `listen` \| `connect` |
/// | `smdr_connections_refused_total` | counter | `reason` = `unknownPeer` \| `tooManyConnections` |
/// | `smdr_journal_depth_bytes` | gauge | `site` — journaled, not yet loaded |
/// | `smdr_journal_retained_bytes` | gauge | `site` — journal segments on disk (counted against the size limit) |
/// | `smdr_journal_depth_lines` | gauge | `site` |
/// | `smdr_journal_full` | gauge | `site` — 1 while its sockets are paused because its journal is at its limit |
/// | `smdr_journal_errors_total` | counter | `site` — loader journal reads that failed (retried) |
/// | `smdr_load_lag_seconds` | gauge | `site` — age of the oldest journaled line not yet loaded |
/// | `smdr_last_line_timestamp_seconds` | gauge | `site` — Unix time the last line was received |
/// | `smdr_database_up` | gauge | — 1 when the last database operation succeeded |
public final class PipelineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let connectionsOpen: Gauge
    private let databaseUp: Gauge
    /// Per site, the Unix time the oldest journaled line not yet loaded was received; `nil`
    /// when the loader is caught up. `smdr_load_lag_seconds` is computed from it at each
    /// scrape, so it keeps growing while nothing loads (a database outage).
    private let oldestUnloaded = Mutex<[String: Double?]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.connectionsOpen = registry.makeGauge(
            descriptor: Self.descriptor("smdr_connections_open", help: "Open PBX connections.")
        )
        self.databaseUp = registry.makeGauge(
            descriptor: Self.descriptor(
                "smdr_database_up", help: "1 when the last database operation succeeded, 0 when it failed."
            )
        )
    }

    /// Prometheus text exposition format.
    public func render() -> [UInt8] {
        let now = Double(JournalTimestamp.now().microsecondsSince1970) / 1e6
        for (site, oldest) in self.oldestUnloaded.withLock({ $0 }) {
            self.gauge(
                "smdr_load_lag_seconds", site: site,
                help: "Age of the oldest journaled line not yet loaded into PostgreSQL (0 when caught up)."
            ).set(oldest.map { max(0, now - $0) } ?? 0)
        }
        return self.registry.emitToBuffer()
    }

    public func bytesReceived(_ count: Int, site: String) {
        self.counter("smdr_bytes_received_total", site: site, help: "Bytes received from PBXs.")
            .increment(by: Int64(count))
    }

    public func linesJournaled(_ count: Int, site: String, at unixTime: Double) {
        self.counter("smdr_lines_received_total", site: site, help: "Lines received and durably journaled.")
            .increment(by: Int64(count))
        self.gauge(
            "smdr_last_line_timestamp_seconds", site: site, help: "Unix time the last line from the site was received."
        ).set(unixTime)
    }

    public func linesLoaded(new: Int, duplicate: Int, rejected: Int, site: String) {
        for (result, count) in [("new", new), ("duplicate", duplicate), ("rejected", rejected)] where count > 0 {
            self.registry.makeCounter(
                descriptor: Self.descriptor(
                    "smdr_lines_loaded_total", help: "Journaled lines committed to PostgreSQL, by outcome."
                ),
                labels: [("site", site), ("result", result)]
            ).increment(by: Int64(count))
        }
    }

    public func linesRejected(_ count: Int, code: String, site: String) {
        self.registry.makeCounter(
            descriptor: Self.descriptor(
                "smdr_lines_rejected_total", help: "Lines stored as rejected raw records, by error code."
            ),
            labels: [("site", site), ("code", code)]
        ).increment(by: Int64(count))
    }

    public func connectionOpened(mode: String) {
        self.connectionsOpen.increment()
        self.registry.makeCounter(
            descriptor: Self.descriptor("smdr_connections_total", help: "PBX connections opened."),
            labels: [("mode", mode)]
        ).increment()
    }

    public func connectionClosed() { self.connectionsOpen.decrement() }

    public func connectionRefused(reason: String) {
        self.registry.makeCounter(
            descriptor: Self.descriptor(
                "smdr_connections_refused_total",
                help: "Connections refused: unknown peer address or connection limit."
            ),
            labels: [("reason", reason)]
        ).increment()
    }

    public func journalBytes(_ bytes: Int64, site: String) {
        self.gauge("smdr_journal_depth_bytes", site: site, help: "Journaled bytes not yet loaded.").set(bytes)
    }

    public func journalRetainedBytes(_ bytes: Int64, site: String) {
        self.gauge(
            "smdr_journal_retained_bytes", site: site,
            help: "Bytes of journal segments on disk, counted against the journal size limit."
        ).set(bytes)
    }

    public func journalLines(_ lines: Int, site: String) {
        self.gauge("smdr_journal_depth_lines", site: site, help: "Journaled lines not yet loaded.").set(Int64(lines))
    }

    public func journalFull(_ isFull: Bool, site: String) {
        self.gauge(
            "smdr_journal_full", site: site,
            help: "1 while reading from the site's PBX sockets is paused because its journal is at its size limit."
        ).set(to: isFull ? 1.0 : 0.0)
    }

    /// Records when the oldest journaled line not yet loaded was received (`nil`: caught up).
    public func oldestUnloadedLine(receivedAt unixTime: Double?, site: String) {
        self.oldestUnloaded.withLock { $0[site] = .some(unixTime) }
    }

    public func journalReadFailed(site: String) {
        self.counter(
            "smdr_journal_errors_total", site: site,
            help: "Journal reads by the loader that failed (I/O or checksum errors); retried with backoff."
        ).increment()
    }

    public func databaseAvailable(_ isUp: Bool) { self.databaseUp.set(to: isUp ? 1.0 : 0.0) }

    // MARK: - Helpers

    private static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    private func counter(_ name: String, site: String, help: String) -> Counter {
        self.registry.makeCounter(descriptor: Self.descriptor(name, help: help), labels: [("site", site)])
    }

    private func gauge(_ name: String, site: String, help: String) -> Gauge {
        self.registry.makeGauge(descriptor: Self.descriptor(name, help: help), labels: [("site", site)])
    }
}
