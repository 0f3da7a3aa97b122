import Foundation
public import Logging
import SMDRCore
public import SMDRListener
public import SMDRPostgres
public import ServiceLifecycle

/// Loads one site's journal into PostgreSQL: reads durable entries from the committed offset,
/// writes them with ``IngestWriter`` together with the new offset in one transaction, then
/// releases the loaded segments.
///
/// ## Exactly once
/// The offset is committed with the rows, so a restart resumes where the last commit ended: a
/// line is never loaded twice or skipped. Should the checkpoint and the journal ever disagree (a
/// journal directory replaced, a database restored from a backup), the loader starts from the
/// oldest journaled line instead, and the raw-record key (site, SHA-256 of the bytes) drops what
/// was already stored.
///
/// ## Durability
/// Batches commit asynchronously (no WAL flush per transaction, so a batch is visible within
/// milliseconds); every ``Configuration/durabilityInterval`` one synchronous commit makes all of
/// them durable, and only then are their journal segments released. Should PostgreSQL crash
/// and lose the last asynchronous commits, the checkpoint it kept is older, the loader loads
/// those lines again from the journal, and the raw-record key keeps them exactly once.
///
/// ## PostgreSQL unavailable
/// A failed load is retried with capped exponential backoff; meanwhile the listener keeps
/// journaling (up to the journal's size limit, then TCP backpressure).
///
/// ## Shutdown
/// On graceful shutdown (after the listener has drained its connections) the loader loads what
/// is left in the journal and returns; if PostgreSQL does not take it within
/// ``Configuration/shutdownGracePeriod`` it returns anyway and the journal keeps the lines for
/// the next start.
public struct JournalLoader: Service {
    public struct Configuration: Sendable {
        /// Most journal entries loaded in one transaction. Defaults to 5000.
        public var batchLines = 5000
        /// Most journal bytes loaded in one transaction. Defaults to 4 MiB.
        public var batchBytes = 4 << 20
        /// First retry delay after a failed load. Defaults to 0.5 s.
        public var retryInitialDelay: Duration = .milliseconds(500)
        /// Longest retry delay. Defaults to 30 s.
        public var retryMaximumDelay: Duration = .seconds(30)
        /// How long shutdown waits for PostgreSQL to take what is left. Defaults to 30 s.
        public var shutdownGracePeriod: Duration = .seconds(30)
        /// How often loaded batches are made durable in PostgreSQL (one synchronous commit), after
        /// which their journal segments are released. Defaults to 1 s.
        public var durabilityInterval: Duration = .seconds(1)

        public init() {}
    }

    private let site: String
    private let journal: Journal
    private let stream: String
    private let writer: IngestWriter
    private let configuration: Configuration
    private let metrics: PipelineMetrics
    private let depth: JournalDepth
    private let logger: Logger
    private let parser = SMDRParser()

    /// - Parameter stream: the checkpoint name of this journal (see ``JournalIdentity``).
    public init(
        site: String,
        journal: Journal,
        stream: String,
        writer: IngestWriter,
        configuration: Configuration = Configuration(),
        metrics: PipelineMetrics,
        depth: JournalDepth,
        logger: Logger
    ) {
        self.site = site
        self.journal = journal
        self.stream = stream
        self.writer = writer
        self.configuration = configuration
        self.metrics = metrics
        self.depth = depth
        var logger = logger
        logger[metadataKey: "smdr.site"] = "\(site)"
        self.logger = logger
    }

    public func run() async throws {
        guard var offset = await self.startingOffset() else { return }
        try await self.countBacklog(from: offset)
        var durable = DurableRelease(loader: self)
        var retryDelay = self.configuration.retryInitialDelay
        var shutdownDeadline: ContinuousClock.Instant?
        var ahead: PreparedLoad?
        var linesSinceTrim = 0
        var lastTrim = ContinuousClock.now
        while true {
            if shutdownDeadline == nil, Task.isShuttingDownGracefully {
                shutdownDeadline = .now + self.configuration.shutdownGracePeriod
            }
            if let shutdownDeadline, ContinuousClock.now >= shutdownDeadline, offset < self.journal.endOffset {
                try? await durable.release(force: true)
                self.logger.warning(
                    "shutdown grace period over; the rest of the journal is loaded at the next start",
                    metadata: ["smdr.journal.offset": "\(offset)", "smdr.journal.end": "\(self.journal.endOffset)"]
                )
                return
            }
            let batch: PreparedLoad
            if let ready = ahead, ready.start == offset {
                batch = ready
            } else {
                batch = self.prepare(try await self.read(from: offset), start: offset)
            }
            ahead = nil
            do {
                if batch.isEmpty {
                    self.metrics.loadLag(seconds: 0, site: self.site)
                    self.metrics.journalBytes(max(0, self.journal.endOffset - offset), site: self.site)
                    try await durable.release(force: true)
                    // Caught up after a burst: give back what its batches used (see FreeMemory).
                    if linesSinceTrim >= self.configuration.batchLines, ContinuousClock.now - lastTrim >= Self.trimInterval {
                        FreeMemory.release()
                        linesSinceTrim = 0
                        lastTrim = .now
                    }
                    if shutdownDeadline != nil || Task.isShuttingDownGracefully {
                        self.logger.info("journal loaded; loader stopped", metadata: ["smdr.journal.offset": "\(offset)"])
                        return
                    }
                    let current = offset
                    do {
                        try await cancelWhenGracefulShutdown { try await self.journal.waitForEntries(after: current) }
                    } catch is CancellationError {
                        if Task.isCancelled && !Task.isShuttingDownGracefully { return }
                    }
                    continue
                }
                // While this batch loads, read and prepare the next one (pipelining: the
                // database and this process work at the same time). Loads stay one at a time,
                // in journal order, so the checkpoint still moves exactly with the rows.
                let loadStart = ContinuousClock.now
                async let committed = self.writer.load(batch.prepared)
                if let next = try? await self.read(from: batch.nextOffset), !next.entries.isEmpty {
                    ahead = self.prepare(next, start: batch.nextOffset)
                }
                let prepared = ContinuousClock.now - loadStart
                self.loaded(batch, counts: try await committed, preparingNext: prepared, loading: .now - loadStart)
                retryDelay = self.configuration.retryInitialDelay
                linesSinceTrim += batch.lineCount
                offset = batch.nextOffset
                self.metrics.journalBytes(max(0, self.journal.endOffset - offset), site: self.site)
                durable.committed(upTo: offset)
                try await durable.release(force: false)
            } catch {
                // Batches committed since the last flush may be lost (PostgreSQL crashed): resume
                // from the checkpoint PostgreSQL kept; their lines are still in the journal.
                durable.forget()
                ahead = nil
                self.metrics.databaseAvailable(false)
                if shutdownDeadline == nil, Task.isShuttingDownGracefully {
                    shutdownDeadline = .now + self.configuration.shutdownGracePeriod
                }
                if let shutdownDeadline, ContinuousClock.now + retryDelay > shutdownDeadline {
                    self.logger.warning(
                        "shutdown before PostgreSQL took the rest of the journal; it is kept for the next start",
                        metadata: ["error": "\(error)", "smdr.journal.offset": "\(offset)"]
                    )
                    return
                }
                self.logger.warning(
                    "loading the journal into PostgreSQL failed; retrying",
                    metadata: ["error": "\(error)", "smdr.retry.delay": "\(retryDelay)"]
                )
                do {
                    try await Task.sleep(for: retryDelay)
                } catch {
                    return
                }
                retryDelay = min(retryDelay * 2, self.configuration.retryMaximumDelay)
                guard let checkpoint = await self.startingOffset() else { return }
                offset = checkpoint
            }
        }
    }

    /// The least time between two heap trims: a trim walks the whole heap under the
    /// allocator's locks, so a trickle of lines must not trigger one per batch.
    private static let trimInterval: Duration = .seconds(10)

    /// A journal batch parsed and encoded for one transaction, with the checkpoint of its end.
    private struct PreparedLoad: Sendable {
        var start: Int64
        var nextOffset: Int64
        var prepared: PreparedBatch
        var lineCount: Int
        var lastReceivedAt: JournalTimestamp?
        var rejectedByCode: [String: Int]

        var isEmpty: Bool { self.lineCount == 0 }
    }

    private func read(from offset: Int64) async throws -> JournalBatch {
        try await self.journal.read(
            from: offset, maximumCount: self.configuration.batchLines, maximumBytes: self.configuration.batchBytes
        )
    }

    /// Parses and encodes `batch` (no database work).
    private func prepare(_ batch: JournalBatch, start: Int64) -> PreparedLoad {
        var rejectedByCode: [String: Int] = [:]
        let lines = batch.entries.map { entry in
            let parsed: Result<CallRecord, SMDRParseError>
            if entry.isTruncated {
                parsed = .failure(SMDRParseError(code: .lineTooLong, field: nil, offset: entry.payload.count))
            } else if entry.isUnterminated {
                // The PBX stopped mid-record and will send it again whole: keep the bytes, no leg.
                parsed = .failure(SMDRParseError(code: .unterminated, field: nil, offset: entry.payload.count))
            } else {
                parsed = Result { () throws(SMDRParseError) in try self.parser.parse(entry.payload) }
            }
            if case .failure(let error) = parsed { rejectedByCode[error.code.description, default: 0] += 1 }
            return IngestLine(
                bytes: entry.payload,
                isTruncated: entry.isTruncated,
                position: entry.offset,
                receivedAt: Date(timeIntervalSince1970: Double(entry.receivedAt.microsecondsSince1970) / 1_000_000),
                parsed: parsed
            )
        }
        let prepared = self.writer.prepare(
            lines[...],
            source: .peer(stream: self.stream),
            checkpoint: JournalCheckpoint(stream: self.stream, offset: batch.nextOffset)
        )
        return PreparedLoad(
            start: start,
            nextOffset: batch.nextOffset,
            prepared: prepared,
            lineCount: lines.count,
            lastReceivedAt: batch.entries.last?.receivedAt,
            rejectedByCode: rejectedByCode
        )
    }

    /// Updates the metrics for a committed batch.
    private func loaded(_ batch: PreparedLoad, counts: IngestCounts, preparingNext: Duration, loading: Duration) {
        self.metrics.databaseAvailable(true)
        self.metrics.linesLoaded(new: counts.new, duplicate: counts.duplicate, rejected: counts.rejected, site: self.site)
        self.depth.loaded(lines: batch.lineCount, site: self.site, metrics: self.metrics)
        for (code, count) in batch.rejectedByCode { self.metrics.linesRejected(count, code: code, site: self.site) }
        if let last = batch.lastReceivedAt {
            let age = Date().timeIntervalSince1970 - Double(last.microsecondsSince1970) / 1_000_000
            self.metrics.loadLag(seconds: max(0, age), site: self.site)
        }
        self.logger.debug(
            "journal batch loaded",
            metadata: [
                "smdr.lines": "\(batch.lineCount)", "smdr.counts": "\(counts)",
                "smdr.load.duration": "\(loading)", "smdr.prepare-next.duration": "\(preparingNext)",
            ]
        )
    }

    /// Tracks batches committed asynchronously and releases their journal segments once a
    /// synchronous commit has made them durable.
    private struct DurableRelease {
        let loader: JournalLoader
        var committedOffset: Int64?
        var lastFlush = ContinuousClock.now

        mutating func committed(upTo offset: Int64) { self.committedOffset = offset }

        /// Commits since the last flush may be lost: never release their segments.
        mutating func forget() { self.committedOffset = nil }

        /// Flushes and releases when the interval has passed (or `force`).
        mutating func release(force: Bool) async throws {
            guard let offset = self.committedOffset else { return }
            guard force || ContinuousClock.now - self.lastFlush >= self.loader.configuration.durabilityInterval else {
                return
            }
            try await self.loader.writer.flush()
            self.lastFlush = .now
            try await self.loader.journal.release(upTo: offset)
            self.committedOffset = nil
        }
    }

    /// The committed offset, or the journal's start when there is none or it does not fit the journal.
    private func startingOffset() async -> Int64? {
        var delay = self.configuration.retryInitialDelay
        while true {
            do {
                let checkpoint = try await self.writer.checkpoint(stream: self.stream)
                self.metrics.databaseAvailable(true)
                let start = self.journal.startOffset
                let end = self.journal.endOffset
                guard let checkpoint else { return start }
                if checkpoint < start || checkpoint > end {
                    self.logger.warning(
                        "checkpoint outside the journal; loading from the journal's start (duplicates are dropped by key)",
                        metadata: ["smdr.checkpoint": "\(checkpoint)", "smdr.journal.start": "\(start)", "smdr.journal.end": "\(end)"]
                    )
                    return start
                }
                return checkpoint
            } catch {
                self.metrics.databaseAvailable(false)
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                self.logger.warning(
                    "cannot read the journal checkpoint from PostgreSQL; retrying",
                    metadata: ["error": "\(error)", "smdr.retry.delay": "\(delay)"]
                )
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, self.configuration.retryMaximumDelay)
            }
        }
    }

    /// Counts the lines journaled before this start and not yet loaded, for the depth gauge.
    private func countBacklog(from offset: Int64) async throws {
        var position = offset
        var lines = 0
        let end = self.journal.endOffset
        while position < end {
            let batch = try await self.journal.read(from: position, maximumCount: 10_000, maximumBytes: 8 << 20)
            if batch.entries.isEmpty { break }
            lines += batch.entries.count
            position = batch.nextOffset
        }
        self.depth.backlog(lines: lines, site: self.site, metrics: self.metrics)
    }
}
