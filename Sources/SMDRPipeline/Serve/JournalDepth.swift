import Synchronization

/// Lines journaled and not yet loaded, per site, for the `smdr_journal_depth_lines` gauge.
///
/// The journal counts bytes; lines are counted here: the backlog found at start, plus lines
/// journaled since, minus lines loaded since.
public final class JournalDepth: Sendable {
    private let lines = Mutex<[String: Int]>([:])

    public init() {}

    func backlog(lines count: Int, site: String, metrics: PipelineMetrics) {
        self.update(site: site, metrics: metrics) { $0 += count }
    }

    func journaled(lines count: Int, site: String, metrics: PipelineMetrics) {
        self.update(site: site, metrics: metrics) { $0 += count }
    }

    func loaded(lines count: Int, site: String, metrics: PipelineMetrics) {
        self.update(site: site, metrics: metrics) { $0 = max(0, $0 - count) }
    }

    private func update(site: String, metrics: PipelineMetrics, _ change: (inout Int) -> Void) {
        let value = self.lines.withLock { lines in
            change(&lines[site, default: 0])
            return lines[site, default: 0]
        }
        metrics.journalLines(value, site: site)
    }
}
