import Foundation
public import Logging
import SMDRCore
public import SMDRListener
public import SMDRPostgres
public import ServiceLifecycle
import Synchronization

/// Loads one site's journal into PostgreSQL: reads durable entries from the committed offset,
/// writes them with ``IngestStore`` together with the new offset in one transaction, then
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
    private let writerSlot: WriterSlot
    private let configuration: Configuration
    private let metrics: PipelineMetrics
    private let depth: JournalDepth
    private let logger: Logger

    /// - Parameter stream: the checkpoint name of this journal (see ``JournalIdentity``).
    public init(
        site: String,
        journal: Journal,
        stream: String,
        writer: IngestStore,
        configuration: Configuration = Configuration(),
        metrics: PipelineMetrics,
        depth: JournalDepth,
        logger: Logger
    ) {
        self.site = site
        self.journal = journal
        self.stream = stream
        self.writerSlot = WriterSlot(writer)
        self.configuration = configuration
        self.metrics = metrics
        self.depth = depth
        var logger = logger
        logger[metadataKey: "smdr.site"] = "\(site)"
        self.logger = logger
    }

    /// Loads the next batches with `writer` (the site's time zone changed): `smdr serve` reads
    /// its sites again while it runs.
    public func use(_ writer: IngestStore) {
        self.writerSlot.value.withLock { $0 = writer }
    }

    /// The writer of the next batch.
    private var writer: IngestStore { self.writerSlot.value.withLock { $0 } }

    private final class WriterSlot: Sendable {
        let value: Mutex<IngestStore>
        init(_ writer: IngestStore) { self.value = Mutex(writer) }
    }

    public func run() async throws {
        guard var position = await self.startingPosition() else { return }
        await self.countBacklog(from: position.offset)
        var durable = DurableRelease(loader: self)
        var retryDelay = self.configuration.retryInitialDelay
        var shutdownDeadline: ContinuousClock.Instant?
        var ahead: PreparedLoad?
        var linesSinceTrim = 0
        var lastTrim = ContinuousClock.now
        var conflicts = 0  // checkpoint conflicts since the last committed batch
        while true {
            if shutdownDeadline == nil, Task.isShuttingDownGracefully {
                shutdownDeadline = .now + self.configuration.shutdownGracePeriod
            }
            if let shutdownDeadline, ContinuousClock.now >= shutdownDeadline, position.offset < self.journal.endOffset {
                try? await durable.release(force: true)
                self.logger.warning(
                    "shutdown grace period over; the rest of the journal is loaded at the next start",
                    metadata: ["smdr.journal.offset": "\(position.offset)", "smdr.journal.end": "\(self.journal.endOffset)"]
                )
                return
            }
            let batch: PreparedLoad
            do {
                if let ready = ahead, ready.start == position.offset, ready.writer == ObjectIdentifier(self.writer) {
                    batch = ready
                } else {
                    batch = self.prepare(try await self.read(from: position.offset), at: position)
                }
            } catch {
                // A journal that cannot be read is this site's problem, not the database's and
                // not the other sites': count it, log it, and try again (the lines stay on disk).
                ahead = nil
                self.metrics.journalReadFailed(site: self.site)
                self.logger.error(
                    "reading the journal failed; retrying",
                    metadata: ["error": "\(error)", "smdr.journal.offset": "\(position.offset)", "smdr.retry.delay": "\(retryDelay)"]
                )
                guard await self.sleep(retryDelay, before: shutdownDeadline) else { return }
                retryDelay = min(retryDelay * 2, self.configuration.retryMaximumDelay)
                continue
            }
            ahead = nil
            self.metrics.oldestUnloadedLine(receivedAt: batch.firstReceivedAt.map(Self.unixTime), site: self.site)
            do {
                if batch.isEmpty {
                    self.metrics.journalBytes(max(0, self.journal.endOffset - position.offset), site: self.site)
                    try await durable.release(force: true)
                    // Caught up after a burst: give back what its batches used (see FreeMemory).
                    if linesSinceTrim >= self.configuration.batchLines, ContinuousClock.now - lastTrim >= Self.trimInterval {
                        await FreeMemory.release()
                        linesSinceTrim = 0
                        lastTrim = .now
                    }
                    if shutdownDeadline != nil || Task.isShuttingDownGracefully {
                        self.logger.info("journal loaded; loader stopped", metadata: ["smdr.journal.offset": "\(position.offset)"])
                        return
                    }
                    let current = position.offset
                    do {
                        try await cancelWhenGracefulShutdown { try await self.journal.waitForEntries(after: current) }
                    } catch is CancellationError {
                        if Task.isCancelled && !Task.isShuttingDownGracefully { return }
                    }
                    continue
                }
                // While this batch loads, read and prepare the next one (pipelining: the
                // database and this process work at the same time). Loads stay one at a time,
                // in journal order, and each batch's checkpoint is a compare-and-set on the
                // end of the one before, so the checkpoint moves exactly with the rows.
                let loadStart = ContinuousClock.now
                async let committed = self.writer.load(batch.prepared)
                let after = Position(offset: batch.nextOffset, stored: batch.nextOffset)
                if let next = try? await self.read(from: after.offset), !next.entries.isEmpty {
                    ahead = self.prepare(next, at: after)
                }
                let prepared = ContinuousClock.now - loadStart
                self.loaded(batch, counts: try await committed, preparingNext: prepared, loading: .now - loadStart)
                retryDelay = self.configuration.retryInitialDelay
                conflicts = 0
                linesSinceTrim += batch.lineCount
                position = after
                self.metrics.oldestUnloadedLine(receivedAt: ahead?.firstReceivedAt.map(Self.unixTime), site: self.site)
                self.metrics.journalBytes(max(0, self.journal.endOffset - position.offset), site: self.site)
                durable.committed(upTo: position.offset)
                try await durable.release(force: false)
            } catch {
                // Batches committed since the last flush may be lost (PostgreSQL crashed): resume
                // from the checkpoint PostgreSQL kept; their lines are still in the journal.
                durable.forget()
                ahead = nil
                if let conflict = error as? JournalCheckpointConflict {
                    // Not an outage: commits were lost, or another loader moved the checkpoint.
                    // Once is expected after a crash; again at once means a second writer on
                    // this journal's stream (a copied data directory): back off, and say so.
                    conflicts += 1
                    if conflicts == 1 {
                        self.logger.warning(
                            "journal checkpoint is not where this loader left it; resuming from the stored one",
                            metadata: ["error": "\(conflict)"]
                        )
                    } else {
                        self.logger.error(
                            "journal checkpoint keeps moving under this loader: is another smdr loading this journal's stream?",
                            metadata: ["error": "\(conflict)", "smdr.retry.delay": "\(retryDelay)"]
                        )
                        guard await self.sleep(retryDelay, before: shutdownDeadline) else { return }
                        retryDelay = min(retryDelay * 2, self.configuration.retryMaximumDelay)
                    }
                } else if error is JournalError {
                    // Waiting for or releasing journal entries failed: the journal's problem,
                    // not the database's.
                    self.metrics.journalReadFailed(site: self.site)
                    self.logger.error(
                        "journal failed; retrying",
                        metadata: ["error": "\(error)", "smdr.retry.delay": "\(retryDelay)"]
                    )
                    guard await self.sleep(retryDelay, before: shutdownDeadline) else { return }
                    retryDelay = min(retryDelay * 2, self.configuration.retryMaximumDelay)
                    continue
                } else {
                    self.metrics.databaseAvailable(false)
                    self.logger.warning(
                        "loading the journal into PostgreSQL failed; retrying",
                        metadata: ["error": "\(error)", "smdr.retry.delay": "\(retryDelay)"]
                    )
                    if shutdownDeadline == nil, Task.isShuttingDownGracefully {
                        shutdownDeadline = .now + self.configuration.shutdownGracePeriod
                    }
                    guard await self.sleep(retryDelay, before: shutdownDeadline) else {
                        self.logger.warning(
                            "shutdown before PostgreSQL took the rest of the journal; it is kept for the next start",
                            metadata: ["smdr.journal.offset": "\(position.offset)"]
                        )
                        return
                    }
                    retryDelay = min(retryDelay * 2, self.configuration.retryMaximumDelay)
                }
                guard let stored = await self.startingPosition() else { return }
                position = stored
            }
        }
    }

    /// Sleeps for `delay`; `false` when the task was cancelled or the sleep would pass `deadline`.
    private func sleep(_ delay: Duration, before deadline: ContinuousClock.Instant?) async -> Bool {
        if let deadline, ContinuousClock.now + delay > deadline { return false }
        do {
            try await Task.sleep(for: delay)
            return true
        } catch {
            return false
        }
    }

    private static func unixTime(_ timestamp: JournalTimestamp) -> Double {
        Double(timestamp.microsecondsSince1970) / 1_000_000
    }

    /// Where the next batch starts, and the checkpoint PostgreSQL holds for it (the
    /// compare-and-set's expected value). They differ only when the stored checkpoint lies
    /// outside the journal and loading restarts from the journal's start.
    private struct Position {
        var offset: Int64
        var stored: Int64?
    }

    /// The least time between two heap trims: a trim walks the whole heap under the
    /// allocator's locks, so a trickle of lines must not trigger one per batch.
    private static let trimInterval: Duration = .seconds(10)

    /// A journal batch parsed and encoded for one transaction, with the checkpoint of its end.
    private struct PreparedLoad: Sendable {
        /// The writer that prepared it: a site whose time zone changed re-prepares.
        var writer: ObjectIdentifier
        var start: Int64
        var nextOffset: Int64
        var prepared: EncodedBatch
        var lineCount: Int
        var firstReceivedAt: JournalTimestamp?
        var lastReceivedAt: JournalTimestamp?
        var rejectedByCode: [String: Int]

        var isEmpty: Bool { self.lineCount == 0 }
    }

    private func read(from offset: Int64) async throws -> JournalBatch {
        try await self.journal.read(
            from: offset, maximumCount: self.configuration.batchLines, maximumBytes: self.configuration.batchBytes
        )
    }

    /// Decides and encodes `batch` (no database work).
    private func prepare(_ batch: JournalBatch, at position: Position) -> PreparedLoad {
        let lines = batch.entries.map { entry in
            IngestLine(
                bytes: entry.payload,
                isTruncated: entry.isTruncated,
                isUnterminated: entry.isUnterminated,  // the PBX stopped mid-record and will send it again whole
                position: entry.offset,
                receivedAt: Date(timeIntervalSince1970: Double(entry.receivedAt.microsecondsSince1970) / 1_000_000)
            )
        }
        let writer = self.writer
        let decided = IngestBatcher(timeZone: writer.timeZone).batch(lines, source: .peer(stream: self.stream))
        let prepared = writer.encode(
            decided,
            checkpoint: JournalCheckpoint(stream: self.stream, expected: position.stored, offset: batch.nextOffset)
        )
        return PreparedLoad(
            writer: ObjectIdentifier(writer),
            start: position.offset,
            nextOffset: batch.nextOffset,
            prepared: prepared,
            lineCount: lines.count,
            firstReceivedAt: batch.entries.first?.receivedAt,
            lastReceivedAt: batch.entries.last?.receivedAt,
            rejectedByCode: decided.rejectedByCode
        )
    }

    /// Updates the metrics for a committed batch.
    private func loaded(_ batch: PreparedLoad, counts: IngestCounts, preparingNext: Duration, loading: Duration) {
        self.metrics.databaseAvailable(true)
        self.metrics.linesLoaded(new: counts.new, duplicate: counts.duplicate, rejected: counts.rejected, site: self.site)
        self.depth.loaded(lines: batch.lineCount, site: self.site, metrics: self.metrics)
        for (code, count) in batch.rejectedByCode { self.metrics.linesRejected(count, code: code, site: self.site) }
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
        ///
        /// Releases only what the flush proved durable: should PostgreSQL have lost
        /// asynchronous commits, the stored checkpoint is behind `committedOffset`, nothing past
        /// it is released, and ``JournalCheckpointConflict`` sends the loader back to it.
        mutating func release(force: Bool) async throws {
            guard let offset = self.committedOffset else { return }
            guard force || ContinuousClock.now - self.lastFlush >= self.loader.configuration.durabilityInterval else {
                return
            }
            let durable = try await self.loader.writer.flush(stream: self.loader.stream)
            self.lastFlush = .now
            guard let durable, durable >= offset else {
                self.committedOffset = nil
                throw JournalCheckpointConflict(stream: self.loader.stream, expected: offset, stored: durable)
            }
            try await self.loader.journal.release(upTo: offset)
            self.committedOffset = nil
        }
    }

    /// The committed offset, or the journal's start when there is none or it does not fit the
    /// journal; `nil` when shutting down first.
    private func startingPosition() async -> Position? {
        var delay = self.configuration.retryInitialDelay
        while true {
            do {
                let checkpoint = try await self.writer.checkpoint(stream: self.stream)
                self.metrics.databaseAvailable(true)
                let start = self.journal.startOffset
                let end = self.journal.endOffset
                guard let checkpoint else { return Position(offset: start, stored: nil) }
                if checkpoint < start || checkpoint > end {
                    self.logger.warning(
                        "checkpoint outside the journal; loading from the journal's start (duplicates are dropped by key)",
                        metadata: ["smdr.checkpoint": "\(checkpoint)", "smdr.journal.start": "\(start)", "smdr.journal.end": "\(end)"]
                    )
                    return Position(offset: start, stored: checkpoint)
                }
                return Position(offset: checkpoint, stored: checkpoint)
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

    /// Counts the lines journaled before this start and not yet loaded, for the depth gauge, and
    /// notes when the oldest of them was received, for the lag gauge. A journal read error here
    /// only leaves the gauge low; the load loop retries the read.
    private func countBacklog(from offset: Int64) async {
        var position = offset
        var lines = 0
        var oldest: JournalTimestamp?
        let end = self.journal.endOffset
        while position < end {
            guard let batch = try? await self.journal.read(from: position, maximumCount: 10_000, maximumBytes: 8 << 20),
                !batch.entries.isEmpty
            else { break }
            if oldest == nil { oldest = batch.entries.first?.receivedAt }
            lines += batch.entries.count
            position = batch.nextOffset
        }
        self.depth.backlog(lines: lines, site: self.site, metrics: self.metrics)
        self.metrics.oldestUnloadedLine(receivedAt: oldest.map(Self.unixTime), site: self.site)
    }
}
