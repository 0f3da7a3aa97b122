import Foundation
public import Logging
public import SMDRCore
public import SMDRJournal
import SMDRListener
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
        /// Most journal entries loaded in one transaction. `smdr serve`: `SMDR_LOAD_BATCH_LINES`.
        public var batchLines: Int
        /// Most journal bytes loaded in one transaction. Defaults to 4 MiB.
        public var batchBytes = 4 << 20
        /// Delays between retries of a failed load: from ``retryInitialDelay``, doubling, up to
        /// the maximum given (`smdr serve`: `SMDR_LOAD_RETRY_MAX_DELAY`).
        public var retryBackoff: Backoff
        /// How long shutdown waits for PostgreSQL to take what is left. `smdr serve`:
        /// `SMDR_SHUTDOWN_GRACE`.
        public var shutdownGracePeriod: Duration
        /// How often loaded batches are made durable in PostgreSQL (one synchronous commit), after
        /// which their journal segments are released. Defaults to 1 s.
        public var durabilityInterval: Duration = .seconds(1)

        /// The first retry delay after a failed load.
        public static let retryInitialDelay: Duration = .milliseconds(500)

        /// The limits `smdr serve` exposes as settings have no default here: ``ServeConfiguration``'s
        /// settings table is the one place for them.
        public init(batchLines: Int, retryMaximumDelay: Duration, shutdownGracePeriod: Duration) {
            self.batchLines = batchLines
            self.retryBackoff = Backoff(initial: Self.retryInitialDelay, maximum: retryMaximumDelay)
            self.shutdownGracePeriod = shutdownGracePeriod
        }
    }

    let site: String
    let journal: Journal
    let stream: String
    private let writerSlot: WriterSlot
    let configuration: Configuration
    let metrics: PipelineMetrics
    let depth: JournalDepth
    let logger: Logger

    /// - Parameter stream: the checkpoint name of this journal (see ``JournalIdentity``).
    public init(
        site: String,
        journal: Journal,
        stream: String,
        writer: IngestStore,
        configuration: Configuration,
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
    var writer: IngestStore { self.writerSlot.value.withLock { $0 } }

    private final class WriterSlot: Sendable {
        let value: Mutex<IngestStore>
        init(_ writer: IngestStore) { self.value = Mutex(writer) }
    }

    /// Carries out the actions of ``JournalLoadPolicy`` (which decides what to do next) until it
    /// says stop: does the I/O, updates the metrics, logs.
    public func run() async throws {
        var policy = JournalLoadPolicy(configuration: self.policyConfiguration, clock: ContinuousClock())
        var action = policy.started()
        var batch: PreparedLoad?  // the batch read last
        var ahead: PreparedLoad?  // the batch read while the one before it loaded
        var lastError: (any Error)?
        var countedBacklog = false
        func failed(_ error: any Error) -> Policy.Action {
            lastError = error
            ahead = nil
            if Task.isShuttingDownGracefully { policy.shutdownRequested() }
            switch error {
            case is JournalCheckpointConflict:
                return policy.failed(.checkpointConflict)
            case is JournalError:
                // Waiting for or releasing journal entries failed: the journal's problem, not the database's.
                self.metrics.journalReadFailed(site: self.site)
                return policy.failed(.journal)
            default:
                self.metrics.databaseAvailable(false)
                return policy.failed(.database)
            }
        }
        while true {
            if Task.isShuttingDownGracefully { policy.shutdownRequested() }
            switch action {
            case .readCheckpoint(let note):
                if note == .checkpointMoved {
                    // Not an outage: commits were lost, or another loader moved the checkpoint.
                    self.logger.warning(
                        "journal checkpoint is not where this loader left it; resuming from the stored one",
                        metadata: ["error": "\(lastError.map { "\($0)" } ?? "")"]
                    )
                }
                do {
                    let checkpoint = try await self.writer.checkpoint(stream: self.stream)
                    self.metrics.databaseAvailable(true)
                    action = policy.checkpointRead(
                        checkpoint, journalStart: self.journal.startOffset, journalEnd: self.journal.endOffset
                    )
                } catch {
                    self.metrics.databaseAvailable(false)
                    if Task.isCancelled { return }
                    lastError = error
                    if Task.isShuttingDownGracefully { policy.shutdownRequested() }
                    action = policy.checkpointReadFailed()
                }

            case .read(let position, let useReadAhead, let note):
                if case .checkpointOutsideJournal(let checkpoint, let start, let end) = note {
                    self.logger.warning(
                        "checkpoint outside the journal; loading from the journal's start (duplicates are dropped by key)",
                        metadata: ["smdr.checkpoint": "\(checkpoint)", "smdr.journal.start": "\(start)", "smdr.journal.end": "\(end)"]
                    )
                }
                if !countedBacklog {
                    countedBacklog = true
                    await self.countBacklog(from: position.offset)
                }
                do {
                    let read: PreparedLoad
                    if useReadAhead, let ready = ahead, ready.start == position.offset,
                        ready.writer == ObjectIdentifier(self.writer)
                    {
                        read = ready
                    } else {
                        read = self.prepare(try await self.read(from: position.offset), at: position)
                    }
                    ahead = nil
                    batch = read
                    self.metrics.oldestUnloadedLine(receivedAt: read.firstReceivedAt.map(Self.unixTime), site: self.site)
                    if read.isEmpty {
                        self.metrics.journalBytes(max(0, self.journal.endOffset - position.offset), site: self.site)
                    }
                    action = policy.batchRead(lines: read.lineCount, nextOffset: read.nextOffset)
                } catch {
                    // A journal that cannot be read is this site's problem, not the database's and
                    // not the other sites': count it, log it, and try again (the lines stay on disk).
                    lastError = error
                    ahead = nil
                    self.metrics.journalReadFailed(site: self.site)
                    action = policy.failed(.read)
                }

            case .load(let readAhead):
                guard let loading = batch else { preconditionFailure("load without a batch") }
                do {
                    // While this batch loads, read and prepare the next one (pipelining: the
                    // database and this process work at the same time). Loads stay one at a time,
                    // in journal order, and each batch's checkpoint is a compare-and-set on the
                    // end of the one before, so the checkpoint moves exactly with the rows.
                    let loadStart = ContinuousClock.now
                    async let committed = self.writer.load(loading.prepared)
                    if let next = try? await self.read(from: readAhead.offset), !next.entries.isEmpty {
                        ahead = self.prepare(next, at: readAhead)
                    }
                    let prepared = ContinuousClock.now - loadStart
                    self.loaded(loading, counts: try await committed, preparingNext: prepared, loading: .now - loadStart)
                    self.metrics.oldestUnloadedLine(receivedAt: ahead?.firstReceivedAt.map(Self.unixTime), site: self.site)
                    self.metrics.journalBytes(max(0, self.journal.endOffset - loading.nextOffset), site: self.site)
                    action = policy.batchCommitted()
                } catch {
                    action = failed(error)
                }

            case .flush:
                do {
                    let durable = try await self.writer.flush(stream: self.stream)
                    // What the policy reports should the durable checkpoint be behind the commits.
                    lastError = JournalCheckpointConflict(stream: self.stream, expected: policy.unflushedOffset, stored: durable)
                    action = policy.flushed(durable: durable)
                } catch {
                    action = failed(error)
                }

            case .release(let offset):
                do {
                    try await self.journal.release(upTo: offset)
                    action = policy.released()
                } catch {
                    action = failed(error)
                }

            case .trimHeap:
                // Caught up after a burst: give back what its batches used (see FreeMemory).
                await FreeMemory.release()
                action = policy.heapTrimmed()

            case .waitForEntries(let offset):
                do {
                    try await cancelWhenGracefulShutdown { try await self.journal.waitForEntries(after: offset) }
                    action = policy.entriesAvailable()
                } catch is CancellationError {
                    if Task.isCancelled && !Task.isShuttingDownGracefully { return }
                    if Task.isShuttingDownGracefully { policy.shutdownRequested() }
                    action = policy.entriesAvailable()
                } catch {
                    action = failed(error)
                }

            case .sleep(let until, let retry):
                self.log(retry, error: lastError)
                do {
                    try await Task.sleep(until: until, clock: .continuous)
                } catch {
                    return
                }
                action = policy.sleepEnded()

            case .stop(let reason):
                self.log(reason, error: lastError)
                return
            }
        }
    }

    typealias Policy = JournalLoadPolicy<ContinuousClock>
    typealias Position = Policy.Position

    private var policyConfiguration: Policy.Configuration {
        Policy.Configuration(
            batchLines: self.configuration.batchLines,
            retry: self.configuration.retryBackoff,
            shutdownGracePeriod: self.configuration.shutdownGracePeriod,
            durabilityInterval: self.configuration.durabilityInterval,
            trimInterval: Self.trimInterval
        )
    }

    private func log(_ retry: Policy.Retry, error: (any Error)?) {
        var metadata: Logger.Metadata = ["error": "\(error.map { "\($0)" } ?? "")", "smdr.retry.delay": "\(retry.delay)"]
        switch retry.reason {
        case .checkpointUnavailable:
            self.logger.warning("cannot read the journal checkpoint from PostgreSQL; retrying", metadata: metadata)
        case .readFailed:
            metadata["smdr.journal.offset"] = "\(retry.offset)"
            self.logger.error("reading the journal failed; retrying", metadata: metadata)
        case .journalFailed:
            self.logger.error("journal failed; retrying", metadata: metadata)
        case .databaseFailed:
            self.logger.warning("loading the journal into PostgreSQL failed; retrying", metadata: metadata)
        case .checkpointKeepsMoving:
            // Again at once means a second writer on this journal's stream (a copied data directory).
            self.logger.error(
                "journal checkpoint keeps moving under this loader: is another smdr loading this journal's stream?",
                metadata: metadata
            )
        }
    }

    private func log(_ reason: Policy.StopReason, error: (any Error)?) {
        switch reason {
        case .caughtUp(let offset):
            self.logger.info("journal loaded; loader stopped", metadata: ["smdr.journal.offset": "\(offset)"])
        case .deadlinePassed(let offset):
            self.logger.warning(
                "shutdown grace period over; the rest of the journal is loaded at the next start",
                metadata: ["smdr.journal.offset": "\(offset)", "smdr.journal.end": "\(self.journal.endOffset)"]
            )
        case .retryPastDeadline(let retry):
            self.log(retry, error: error)
            if retry.reason == .databaseFailed {
                self.logger.warning(
                    "shutdown before PostgreSQL took the rest of the journal; it is kept for the next start",
                    metadata: ["smdr.journal.offset": "\(retry.offset)"]
                )
            }
        case .checkpointUnavailable:
            break
        }
    }

    /// The least time between two heap trims: a trim walks the whole heap under the
    /// allocator's locks, so a trickle of lines must not trigger one per batch.
    private static let trimInterval: Duration = .seconds(10)
}
