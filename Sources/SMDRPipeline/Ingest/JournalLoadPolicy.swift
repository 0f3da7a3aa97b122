import SMDRCore

/// What ``JournalLoader`` does next, decided one event at a time: the loader's policy without
/// its I/O.
///
/// The driver feeds each outcome of the previous action (``checkpointRead(_:journalStart:journalEnd:)``,
/// ``batchRead(lines:nextOffset:)``, ``batchCommitted()``, ``failed(_:)``, ``flushed(durable:)``, …) and
/// carries out the ``Action`` it gets back. The policy holds no I/O, task or logger; what is worth
/// logging comes out in the actions (``Note``, ``RetryReason``, ``StopReason``).
///
/// - **Read-ahead.** While a batch loads, the next one is read from its end
///   (``Action/load(readAhead:)``) and used by the next ``Action/read(_:readAhead:note:)``, unless a
///   failure came between.
/// - **Retry.** Read, journal and database failures wait with ``Configuration/retry`` (the delay
///   doubles, and starts over after a committed batch). A checkpoint conflict resumes from the
///   stored checkpoint at once the first time (commits lost in a crash) and backs off when it
///   repeats (another loader on the stream). Reading the stored checkpoint retries with a
///   backoff of its own.
/// - **Durability.** Committed batches are flushed (one synchronous commit) once
///   ``Configuration/durabilityInterval`` has passed or when caught up, and journal segments are
///   released only up to an offset the flush proved durable; a durable checkpoint behind it
///   resumes from the stored checkpoint and releases nothing.
/// - **Shutdown.** After ``shutdownRequested()`` the loader loads what is left and stops when
///   caught up; once ``Configuration/shutdownGracePeriod`` has passed, or a retry would sleep past
///   it, it stops and the journal keeps the rest.
struct JournalLoadPolicy<C: Clock> where C.Duration == Duration {
    struct Configuration: Sendable {
        /// The loader's batch size in lines: after this many lines a caught-up loader trims the heap.
        var batchLines: Int
        var retry: Backoff
        var shutdownGracePeriod: Duration
        var durabilityInterval: Duration
        /// The least time between two heap trims.
        var trimInterval: Duration
    }

    /// Where the next batch starts, and the checkpoint PostgreSQL holds for it (the
    /// compare-and-set's expected value). They differ only when the stored checkpoint lies
    /// outside the journal and loading restarts from the journal's start.
    struct Position: Hashable, Sendable {
        var offset: Int64
        var stored: Int64?
    }

    enum Action: Equatable {
        /// Read the stored checkpoint; answer ``checkpointRead(_:journalStart:journalEnd:)`` or ``checkpointReadFailed()``.
        case readCheckpoint(note: Note? = nil)
        /// Read and prepare the batch at the position (or take the batch read ahead from it, when
        /// `readAhead`); answer ``batchRead(lines:nextOffset:)`` or ``failed(_:)`` with `.read`.
        case read(Position, readAhead: Bool, note: Note? = nil)
        /// Load the batch just read, and meanwhile read ahead from `readAhead`; answer
        /// ``batchCommitted()`` or ``failed(_:)``.
        case load(readAhead: Position)
        /// One synchronous commit; answer ``flushed(durable:)`` with the durable checkpoint.
        case flush
        /// Release the journal up to the offset; answer ``released()``.
        case release(upTo: Int64)
        /// Give memory back after a burst; answer ``heapTrimmed()``.
        case trimHeap
        /// Wait until the journal has entries past the offset, or shutdown; answer ``entriesAvailable()``.
        case waitForEntries(after: Int64)
        /// Log the retry, sleep until the instant, then answer ``sleepEnded()``.
        case sleep(until: C.Instant, retry: Retry)
        /// Stop loading; the journal keeps what is not loaded.
        case stop(StopReason)
    }

    /// What the driver logs with a read or a checkpoint read.
    enum Note: Hashable, Sendable {
        /// The stored checkpoint lies outside the journal: loading restarts from its start.
        case checkpointOutsideJournal(checkpoint: Int64, start: Int64, end: Int64)
        /// The checkpoint was not where this loader left it (first time): resumed from the stored one.
        case checkpointMoved
    }

    struct Retry: Hashable, Sendable {
        var reason: RetryReason
        var delay: Duration
        /// Where loading resumes.
        var offset: Int64
    }

    enum RetryReason: Hashable, Sendable {
        case checkpointUnavailable
        case readFailed
        case journalFailed
        case databaseFailed
        case checkpointKeepsMoving
    }

    enum StopReason: Equatable {
        /// Shutting down and everything journaled is loaded.
        case caughtUp(offset: Int64)
        /// The shutdown grace period ended with lines left.
        case deadlinePassed(offset: Int64)
        /// Shutting down, and the retry would sleep past the deadline.
        case retryPastDeadline(Retry)
        /// Shutting down before the stored checkpoint could be read.
        case checkpointUnavailable
    }

    /// A failure the driver reports.
    enum Failure: Hashable, Sendable {
        /// Reading the journal at the position failed.
        case read
        /// Waiting for or releasing journal entries failed.
        case journal
        /// PostgreSQL failed (load or flush).
        case database
        /// The checkpoint compare-and-set found another value.
        case checkpointConflict
    }

    /// What the driver is doing for the policy now.
    private enum Step: Equatable {
        case idle
        case readingCheckpoint
        case reading
        case loading(lines: Int, nextOffset: Int64)
        case flushing(then: Then)
        case releasing(then: Then)
        case trimming
        case waiting
        case sleeping(then: AfterSleep)
        case stopped
    }

    /// Where a flush and release lead.
    private enum Then: Equatable {
        case nextBatch
        case caughtUp
        case stop(StopReason)
    }

    private enum AfterSleep: Equatable {
        case readCheckpoint
        case read
    }

    private let configuration: Configuration
    private let clock: C
    private var step = Step.idle
    private var position = Position(offset: 0, stored: nil)
    /// Committed since the last flush: not yet durable, so its segments are not released.
    private var committed: Int64?
    private var lastFlush: C.Instant
    /// Where the batch read ahead starts, while it is valid.
    private var readAhead: Position?
    /// Consecutive failed loads and reads (the retry backoff).
    private var failures = 0
    /// Consecutive failed checkpoint reads.
    private var checkpointFailures = 0
    /// Checkpoint conflicts since the last committed batch.
    private var conflicts = 0
    private var linesSinceTrim = 0
    private var lastTrim: C.Instant
    private var deadline: C.Instant?

    init(configuration: Configuration, clock: C) {
        self.configuration = configuration
        self.clock = clock
        self.lastFlush = clock.now
        self.lastTrim = clock.now
    }

    var isShuttingDown: Bool { self.deadline != nil }

    /// The end of the batches committed since the last flush (not yet known to be durable).
    var unflushedOffset: Int64? { self.committed }

    // MARK: - Events

    mutating func started() -> Action {
        precondition(self.step == .idle, "started twice: \(self.step)")
        self.step = .readingCheckpoint
        return .readCheckpoint()
    }

    /// Graceful shutdown began: load what is left, for at most the grace period. Takes effect at
    /// the next decision; noting it again changes nothing.
    mutating func shutdownRequested() {
        if self.deadline == nil { self.deadline = self.clock.now.advanced(by: self.configuration.shutdownGracePeriod) }
    }

    mutating func checkpointRead(_ checkpoint: Int64?, journalStart: Int64, journalEnd: Int64) -> Action {
        self.expect(.readingCheckpoint)
        self.checkpointFailures = 0
        guard let checkpoint else { return self.read(Position(offset: journalStart, stored: nil)) }
        if checkpoint < journalStart || checkpoint > journalEnd {
            return self.read(
                Position(offset: journalStart, stored: checkpoint),
                note: .checkpointOutsideJournal(checkpoint: checkpoint, start: journalStart, end: journalEnd)
            )
        }
        return self.read(Position(offset: checkpoint, stored: checkpoint))
    }

    mutating func checkpointReadFailed() -> Action {
        self.expect(.readingCheckpoint)
        guard !self.isShuttingDown else { return self.stop(.checkpointUnavailable) }
        let delay = self.configuration.retry.delay(afterFailures: self.checkpointFailures)
        self.checkpointFailures += 1
        self.step = .sleeping(then: .readCheckpoint)
        return .sleep(
            until: self.clock.now.advanced(by: delay),
            retry: Retry(reason: .checkpointUnavailable, delay: delay, offset: self.position.offset)
        )
    }

    mutating func batchRead(lines: Int, nextOffset: Int64) -> Action {
        self.expect(.reading)
        self.readAhead = nil
        if lines == 0 {
            // Caught up: make what was committed durable and release it before waiting.
            return self.flushIfCommitted(then: .caughtUp)
        }
        if let deadline, self.clock.now >= deadline {
            return self.flushIfCommitted(then: .stop(.deadlinePassed(offset: self.position.offset)))
        }
        self.step = .loading(lines: lines, nextOffset: nextOffset)
        let ahead = Position(offset: nextOffset, stored: nextOffset)
        self.readAhead = ahead
        return .load(readAhead: ahead)
    }

    mutating func batchCommitted() -> Action {
        guard case .loading(let lines, let nextOffset) = self.step else { preconditionFailure("batchCommitted while \(self.step)") }
        self.failures = 0
        self.conflicts = 0
        self.linesSinceTrim += lines
        self.position = Position(offset: nextOffset, stored: nextOffset)
        self.committed = nextOffset
        if self.lastFlush.duration(to: self.clock.now) >= self.configuration.durabilityInterval {
            self.step = .flushing(then: .nextBatch)
            return .flush
        }
        return self.read(self.position)
    }

    mutating func flushed(durable: Int64?) -> Action {
        guard case .flushing(let then) = self.step, let committed else { preconditionFailure("flushed while \(self.step)") }
        self.lastFlush = self.clock.now
        guard let durable, durable >= committed else {
            // PostgreSQL lost asynchronous commits: nothing past its checkpoint is released.
            self.committed = nil
            return self.failed(.checkpointConflict)
        }
        self.step = .releasing(then: then)
        return .release(upTo: committed)
    }

    mutating func released() -> Action {
        guard case .releasing(let then) = self.step else { preconditionFailure("released while \(self.step)") }
        self.committed = nil
        return self.proceed(then)
    }

    mutating func heapTrimmed() -> Action {
        self.expect(.trimming)
        self.linesSinceTrim = 0
        self.lastTrim = self.clock.now
        return self.waitOrStop()
    }

    mutating func entriesAvailable() -> Action {
        self.expect(.waiting)
        return self.read(self.position)
    }

    mutating func sleepEnded() -> Action {
        guard case .sleeping(let then) = self.step else { preconditionFailure("sleepEnded while \(self.step)") }
        switch then {
        case .readCheckpoint:
            self.step = .readingCheckpoint
            return .readCheckpoint()
        case .read:
            return self.read(self.position)
        }
    }

    /// The last action failed.
    mutating func failed(_ failure: Failure) -> Action {
        // Batches committed since the last flush may be lost (PostgreSQL crashed): never
        // release them; the stored checkpoint says where to resume. A journal read that failed
        // says nothing about them: they are flushed and released once the loader catches up.
        if failure != .read { self.committed = nil }
        self.readAhead = nil
        switch self.step {
        case .flushing(.stop(let reason)), .releasing(.stop(let reason)):
            return self.stop(reason)  // the last flush before stopping is best effort
        case .reading, .loading, .flushing, .releasing, .waiting:
            break
        default:
            preconditionFailure("\(failure) while \(self.step)")
        }
        switch failure {
        case .read:
            return self.retry(.readFailed, then: .read)
        case .journal:
            return self.retry(.journalFailed, then: .read)
        case .database:
            return self.retry(.databaseFailed, then: .readCheckpoint)
        case .checkpointConflict:
            // Not an outage: commits were lost, or another loader moved the checkpoint. Once is
            // expected after a crash; again at once means a second writer on this stream.
            self.conflicts += 1
            guard self.conflicts > 1 else {
                self.step = .readingCheckpoint
                return .readCheckpoint(note: .checkpointMoved)
            }
            return self.retry(.checkpointKeepsMoving, then: .readCheckpoint)
        }
    }

    // MARK: - Decisions

    private mutating func read(_ position: Position, note: Note? = nil) -> Action {
        self.position = position
        self.step = .reading
        return .read(position, readAhead: self.readAhead == position, note: note)
    }

    private mutating func flushIfCommitted(then: Then) -> Action {
        guard self.committed != nil else { return self.proceed(then) }
        self.step = .flushing(then: then)
        return .flush
    }

    private mutating func proceed(_ then: Then) -> Action {
        switch then {
        case .nextBatch:
            return self.read(self.position)
        case .stop(let reason):
            return self.stop(reason)
        case .caughtUp:
            // After a burst, give back what its batches used, but not once per trickling batch.
            if self.linesSinceTrim >= self.configuration.batchLines,
                self.lastTrim.duration(to: self.clock.now) >= self.configuration.trimInterval
            {
                self.step = .trimming
                return .trimHeap
            }
            return self.waitOrStop()
        }
    }

    private mutating func waitOrStop() -> Action {
        if self.isShuttingDown { return self.stop(.caughtUp(offset: self.position.offset)) }
        self.step = .waiting
        return .waitForEntries(after: self.position.offset)
    }

    private mutating func retry(_ reason: RetryReason, then: AfterSleep) -> Action {
        let delay = self.configuration.retry.delay(afterFailures: self.failures)
        let retry = Retry(reason: reason, delay: delay, offset: self.position.offset)
        let until = self.clock.now.advanced(by: delay)
        if let deadline, until > deadline { return self.stop(.retryPastDeadline(retry)) }
        self.failures += 1
        self.step = .sleeping(then: then)
        return .sleep(until: until, retry: retry)
    }

    private mutating func stop(_ reason: StopReason) -> Action {
        self.step = .stopped
        return .stop(reason)
    }

    private func expect(_ step: Step) {
        precondition(self.step == step, "expected \(step), but \(self.step)")
    }
}
