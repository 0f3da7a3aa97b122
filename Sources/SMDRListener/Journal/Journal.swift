public import Logging
public import NIOCore
public import NIOPosix
public import SMDRCore
public import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The durable, append-only journal of one site's SMDR lines: what "received" means.
///
/// A line counts as received when ``append(_:isTruncated:isUnterminated:receivedAt:)`` returns: it is then
/// written and `fdatasync`ed. Appends are grouped (one write and one sync per batch) at most
/// every ``Configuration/flushInterval`` or ``Configuration/flushLines`` lines, whichever
/// comes first. Writes and syncs run on a thread pool, never on Swift's cooperative pool.
///
/// ## Files
/// `directory` holds segment files named by their first offset (`00000000000000000000.smdrj`,
/// see ``JournalFormat``); each entry is checksummed (CRC-32C). Offsets are one monotonic
/// `Int64` per site across segments: a loader stores the `nextOffset` it loaded in the same
/// transaction as the rows, and resumes with ``read(from:maximumCount:maximumBytes:)``.
///
/// ## Limits and backpressure
/// The journal keeps at most ``Configuration/maximumBytes`` on disk (plus what waits in
/// memory for the next sync). When full, appends suspend until ``release(upTo:)`` frees whole
/// segments; the listener then stops reading its sockets, so TCP pushes back on the PBX.
///
/// ## One writer
/// An open journal holds an exclusive `flock` on `lock` in its directory (with the holder's
/// PID in it) until ``run()`` returns or fails (it cannot write after that) or the object goes
/// away; opening it again meanwhile, from this or another process, throws
/// ``JournalError/Code/inUse``. The kernel releases the lock when the process dies.
///
/// ## Recovery
/// ``open(directory:site:configuration:logger:observability:threadPool:eventLoopGroup:)``
/// checks every segment header and scans the last segment. A torn tail (an entry cut short
/// by a crash, or a bad checksum with nothing after it) was never acknowledged: it is cut off
/// and logged. Any other checksum or structure failure throws ``JournalError/Code/corrupted``.
///
/// ## Lifecycle
/// The journal is a `Service`: appends become durable only while ``run()`` runs. Put it in
/// the `ServiceGroup` *before* the listener and the loader, so it shuts down after them and
/// syncs the last batch. Reads and releases work whether or not ``run()`` runs.
public final class Journal: Service, Sendable {
    /// Settings of one site's journal.
    public struct Configuration: Sendable {
        /// A segment file is closed and a new one started when the next entry would take it
        /// past this size, in bytes (`smdr serve`: `SMDR_JOURNAL_SEGMENT_BYTES`).
        public var segmentSize: Int
        /// Bytes kept on disk at most (unreleased segments). Must be at least twice
        /// ``segmentSize`` (`smdr serve`: `SMDR_JOURNAL_MAX_BYTES`).
        public var maximumBytes: Int64
        /// The longest an appended line waits for its group commit. `.zero` syncs each batch
        /// as soon as the writer is free (`smdr serve`: `SMDR_FLUSH_INTERVAL`).
        public var flushInterval: Duration
        /// A batch is committed as soon as it holds this many lines (`smdr serve`: `SMDR_FLUSH_LINES`).
        public var flushLines: Int
        /// What ``Journal/release(upTo:)`` does with fully loaded segments (`smdr serve`: `SMDR_JOURNAL_ARCHIVE`).
        public var releaseMode: ReleaseMode

        /// What happens to a released segment.
        public enum ReleaseMode: Hashable, Sendable {
            /// The file is deleted.
            case delete
            /// The file is moved to `archive/` inside the journal directory (not counted
            /// against ``Configuration/maximumBytes``; rotate it yourself).
            case archive
        }

        /// No defaults here: `smdr serve`'s settings table is the one place for them.
        public init(segmentSize: Int, maximumBytes: Int64, flushInterval: Duration, flushLines: Int, releaseMode: ReleaseMode) {
            self.segmentSize = segmentSize
            self.maximumBytes = maximumBytes
            self.flushInterval = flushInterval
            self.flushLines = flushLines
            self.releaseMode = releaseMode
        }

        func validate(site: String) throws {
            func invalid(_ detail: String) -> JournalError {
                JournalError(.invalidConfiguration, site: site, detail: detail)
            }
            guard self.segmentSize >= 4096, self.segmentSize <= 1 << 30 else {
                throw invalid("segmentSize must be 4096...1073741824")
            }
            guard self.maximumBytes >= 2 * Int64(self.segmentSize) else {
                throw invalid("maximumBytes must be at least twice segmentSize")
            }
            guard self.flushLines >= 1 else { throw invalid("flushLines must be >= 1") }
            guard self.flushInterval >= .zero else { throw invalid("flushInterval must be >= 0") }
        }
    }

    /// The site whose lines this journal holds.
    public let site: String
    /// The directory of the segment files.
    public let directory: String
    public let configuration: Configuration

    private let logger: Logger
    private let observability: any ListenerObservabilityDelegate
    private let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let eventLoop: any EventLoop
    let state: Mutex<State>
    private let nextWaiterID = Atomic<UInt64>(0)
    /// Held until the writer stops: no other process or `Journal` opens the directory meanwhile.
    private let lock: DirectoryLock

    /// The lock file in a journal directory (see ``DirectoryLock``).
    static let lockFileName = "lock"

    /// Where a site's journal lives under a data directory: `<dataDirectory>/journal/<directory>`,
    /// with the directory name from ``SiteName/journalDirectoryName(for:)`` (`hq` → `journal/hq`,
    /// `Main Office` → `journal/Main%20Office`).
    public static func directory(forSite site: String, dataDirectory: String) -> String {
        let root = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
        return "\(root)/journal/\(SiteName.journalDirectoryName(for: site))"
    }

    /// Opens (creating if needed) and recovers the journal in `directory`.
    ///
    /// - Parameters:
    ///   - directory: The journal's own directory, e.g. ``directory(forSite:dataDirectory:)``.
    ///   - site: The site name, for logs, errors and observability.
    ///   - threadPool: Where blocking file I/O runs. `nil` (the default) gives the journal a
    ///     private one-thread pool, so syncs never queue behind other blocking work.
    ///   - eventLoopGroup: Supplies the group-commit timer.
    /// - Throws: ``JournalError`` (`.corrupted`, `.ioFailed`, `.invalidConfiguration`).
    public static func open(
        directory: String,
        site: String,
        configuration: Configuration,
        logger: Logger,
        observability: any ListenerObservabilityDelegate = NoOpListenerObservability(),
        threadPool: NIOThreadPool? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Journal {
        try configuration.validate(site: site)
        var logger = logger
        logger[metadataKey: "smdr.site"] = "\(site)"
        let pool: NIOThreadPool
        if let threadPool {
            pool = threadPool
        } else {
            pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
        }
        let eventLoop = eventLoopGroup.any()
        let recovered: Recovered
        do {
            let recoveryLogger = logger
            recovered = try await pool.runIfActive(eventLoop: eventLoop) {
                try Recovery(directory: directory, site: site, logger: recoveryLogger).run()
            }.get()
        } catch {
            if threadPool == nil { pool.shutdownGracefully { _ in } }
            throw Self.journalError(error, site: site)
        }
        if recovered.truncatedBytes > 0 {
            observability.journalTailTruncated(site: site, bytes: recovered.truncatedBytes)
        }
        let journal = Journal(
            site: site, directory: directory, configuration: configuration, logger: logger,
            observability: observability, threadPool: pool, ownsThreadPool: threadPool == nil,
            eventLoop: eventLoop, recovered: recovered
        )
        logger.info(
            "Journal opened",
            metadata: [
                "smdr.journal.directory": "\(directory)",
                "smdr.journal.start_offset": "\(journal.startOffset)",
                "smdr.journal.end_offset": "\(journal.endOffset)",
                "smdr.journal.segments": "\(recovered.segments.count)",
            ]
        )
        observability.journalDepthChanged(site: site, retainedBytes: journal.retainedBytes)
        return journal
    }

    private init(
        site: String, directory: String, configuration: Configuration, logger: Logger,
        observability: any ListenerObservabilityDelegate, threadPool: NIOThreadPool, ownsThreadPool: Bool,
        eventLoop: any EventLoop, recovered: Recovered
    ) {
        self.site = site
        self.directory = directory
        self.configuration = configuration
        self.logger = logger
        self.observability = observability
        self.threadPool = threadPool
        self.ownsThreadPool = ownsThreadPool
        self.eventLoop = eventLoop
        self.lock = recovered.lock
        let end = recovered.segments.last!.end
        self.state = Mutex(
            State(
                segments: recovered.segments, activeDescriptor: recovered.activeDescriptor,
                assignedEnd: end, durableEnd: end,
                retainedBytes: recovered.segments.reduce(0) { $0 + $1.fileSize }
            )
        )
    }

    deinit {
        let descriptor = self.state.withLock { $0.activeDescriptor }
        if descriptor >= 0 { POSIX.close(descriptor) }
        if self.ownsThreadPool { self.threadPool.shutdownGracefully { _ in } }
    }

    // MARK: - Offsets

    /// The first offset still in the journal (everything before it was released).
    public var startOffset: Int64 { self.state.withLock { $0.segments.first!.base } }

    /// The offset after the last durable entry: reads return entries up to here.
    public var endOffset: Int64 { self.state.withLock { $0.durableEnd } }

    /// Bytes on disk plus bytes waiting for the next sync: what ``Configuration/maximumBytes`` limits.
    public var retainedBytes: Int64 { self.state.withLock { $0.retainedBytes } }

    // MARK: - Writing

    /// Appends a line and returns once it is durable (written and synced).
    ///
    /// Suspends while the journal is full. Cancelling the task while it waits for room
    /// throws `CancellationError` and the line is not journaled; once the line is queued it
    /// will be written, and the call waits for that.
    @discardableResult
    public func append(
        _ payload: some Collection<UInt8>, isTruncated: Bool = false, isUnterminated: Bool = false,
        receivedAt: JournalTimestamp = .now()
    ) async throws -> JournalEntryLocation {
        let location = try await self.enqueue(
            payload, isTruncated: isTruncated, isUnterminated: isUnterminated, receivedAt: receivedAt
        )
        try await self.waitUntilDurable(upTo: location.nextOffset)
        return location
    }

    /// Appends a framed line and returns once it is durable.
    @discardableResult
    public func append(_ line: FramedLine, receivedAt: JournalTimestamp = .now()) async throws -> JournalEntryLocation {
        try await self.append(line.bytes, isTruncated: line.isTruncated, isUnterminated: line.isUnterminated, receivedAt: receivedAt)
    }

    /// Queues a line for the next group commit and returns its location without waiting for
    /// the sync. Suspends only while the journal is full (that wait is the backpressure).
    ///
    /// Use it to keep reading a connection while earlier lines are being synced; call
    /// ``waitUntilDurable(upTo:)`` with the last `nextOffset` before treating them as received.
    public func enqueue(
        _ payload: some Collection<UInt8>, isTruncated: Bool = false, isUnterminated: Bool = false,
        receivedAt: JournalTimestamp = .now()
    ) async throws -> JournalEntryLocation {
        guard payload.count <= JournalFormat.maximumPayloadLength else {
            throw JournalError(.entryTooLarge, site: self.site, detail: "payload of \(payload.count) bytes")
        }
        var encoded: [UInt8] = []
        var flags: JournalFormat.EntryFlags = []
        if isTruncated { flags.insert(.truncated) }
        if isUnterminated { flags.insert(.unterminated) }
        JournalFormat.encodeEntry(payload, flags: flags, receivedAt: receivedAt.microsecondsSince1970, into: &encoded)
        let fast = self.state.withLock { state in
            state.tryEnqueue(encoded, configuration: self.configuration, requireEmptyQueue: true)
        }
        switch fast {
        case .queued(let location, let wakeups):
            wakeups.forEach { $0.resume() }
            return location
        case .closed(let reason):
            throw self.closedError(reason)
        case .full:
            return try await self.enqueueWaitingForRoom(encoded)
        }
    }

    /// Queues a framed line (see ``enqueue(_:isTruncated:isUnterminated:receivedAt:)``).
    public func enqueue(_ line: FramedLine, receivedAt: JournalTimestamp = .now()) async throws -> JournalEntryLocation {
        try await self.enqueue(line.bytes, isTruncated: line.isTruncated, isUnterminated: line.isUnterminated, receivedAt: receivedAt)
    }

    /// From now on appends never wait for room: lines already received when shutdown can wait
    /// no longer are journaled over ``Configuration/maximumBytes`` rather than dropped. Waiting
    /// appends are admitted at once. The listener calls it when its shutdown grace period ends.
    func admitOverLimit() {
        let (admitted, wakeups, ended) = self.state.withLock { state -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>], Bool) in
            state.isOverLimitAllowed = true
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration, ignoringLimit: true)
            return (admitted, wakeups, state.endBackpressureIfDrained())
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        if !admitted.isEmpty {
            self.logger.warning("Journal over its size limit at shutdown: lines already received are kept",
                                metadata: ["smdr.journal.admitted_lines": "\(admitted.count)"])
        }
        if ended { self.observability.journalBackpressureEnded(site: self.site) }
    }

    private func enqueueWaitingForRoom(_ encoded: [UInt8]) async throws -> JournalEntryLocation {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JournalEntryLocation, any Error>) in
                enum Outcome {
                    case queued(JournalEntryLocation, [CheckedContinuation<Void, Never>])
                    case failed(any Error)
                    case waiting(startedBackpressure: Bool)
                }
                let outcome: Outcome = self.state.withLock { state in
                    switch state.tryEnqueue(encoded, configuration: self.configuration, requireEmptyQueue: true) {
                    case .queued(let location, let wakeups):
                        return .queued(location, wakeups)
                    case .closed(let reason):
                        return .failed(self.closedError(reason))
                    case .full:
                        if Task.isCancelled { return .failed(CancellationError()) }
                        state.roomWaiters.append(RoomWaiter(id: id, encoded: encoded, continuation: continuation))
                        let started = !state.isBackpressured
                        state.isBackpressured = true
                        return .waiting(startedBackpressure: started)
                    }
                }
                switch outcome {
                case .queued(let location, let wakeups):
                    wakeups.forEach { $0.resume() }
                    continuation.resume(returning: location)
                case .failed(let error):
                    continuation.resume(throwing: error)
                case .waiting(let started):
                    if started {
                        self.logger.warning("Journal full: reading from PBX connections pauses until the loader releases segments")
                        self.observability.journalBackpressureStarted(site: self.site)
                    }
                }
            }
        } onCancel: {
            let (waiter, ended) = self.state.withLock { state -> (RoomWaiter?, Bool) in
                guard let index = state.roomWaiters.firstIndex(where: { $0.id == id }) else { return (nil, false) }
                let waiter = state.roomWaiters.remove(at: index)
                return (waiter, state.endBackpressureIfDrained())
            }
            waiter?.continuation.resume(throwing: CancellationError())
            if ended { self.observability.journalBackpressureEnded(site: self.site) }
        }
    }

    /// Returns once every entry before `offset` is durable.
    ///
    /// - Throws: ``JournalError`` `.closed` if the journal stopped or failed before that.
    public func waitUntilDurable(upTo offset: Int64) async throws {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        // Not abandoned on cancellation: a queued line is written within one flush interval,
        // and the caller should learn whether it became durable.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = self.state.withLock { state in
                if state.durableEnd >= offset { return .success(()) }
                if case .failed(let error) = state.phase { return .failure(error) }
                if state.phase == .stopped { return .failure(self.closedError(nil)) }
                state.durabilityWaiters.append(Waiter(id: id, offset: offset, continuation: continuation))
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    // MARK: - Reading

    /// Reads durable entries starting at `offset`, at most `maximumCount` entries and about
    /// `maximumBytes` journal bytes (at least one entry), never across a segment boundary.
    ///
    /// An empty batch means nothing durable follows `offset` yet; wait with
    /// ``waitForEntries(after:)``.
    ///
    /// - Parameter offset: ``startOffset``, ``endOffset``, or a `nextOffset` from earlier reads or appends.
    /// - Throws: ``JournalError`` `.offsetReleased`, `.offsetBeyondEnd`, `.corrupted` (checksum
    ///   mismatch, or `offset` is not where an entry starts), `.ioFailed`.
    public func read(from offset: Int64, maximumCount: Int = 1000, maximumBytes: Int = 1 << 20) async throws -> JournalBatch {
        precondition(maximumCount > 0 && maximumBytes > 0, "maximumCount and maximumBytes must be positive")
        let (segments, durableEnd) = self.state.withLock { ($0.segments, $0.durableEnd) }
        guard offset >= segments[0].base else {
            throw JournalError(.offsetReleased, site: self.site, offset: offset,
                               detail: "offset is before the journal start \(segments[0].base)")
        }
        guard offset <= durableEnd else {
            throw JournalError(.offsetBeyondEnd, site: self.site, offset: offset,
                               detail: "offset is beyond the durable end \(durableEnd)")
        }
        guard offset < durableEnd else { return JournalBatch(entries: [], nextOffset: offset) }
        let index = segments.lastIndex { $0.base <= offset }!
        let segment = segments[index]
        let segmentEnd = index + 1 < segments.count ? segments[index + 1].base : durableEnd
        let path = segment.path(in: self.directory)
        let site = self.site
        do {
            return try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                try Self.readEntries(
                    path: path, site: site, segmentBase: segment.base, from: offset, to: segmentEnd,
                    maximumCount: maximumCount, maximumBytes: maximumBytes
                )
            }.get()
        } catch let error as SystemCallError where error.errno == ENOENT {
            throw JournalError(.offsetReleased, site: site, path: path, offset: offset, detail: "segment was released")
        } catch {
            throw Self.journalError(error, site: site)
        }
    }

    private static func readEntries(
        path: String, site: String, segmentBase: Int64, from offset: Int64, to end: Int64,
        maximumCount: Int, maximumBytes: Int
    ) throws -> JournalBatch {
        let descriptor = try POSIX.open(path, flags: O_RDONLY)
        defer { POSIX.close(descriptor) }
        let filePosition = Int64(JournalFormat.headerLength) + offset - segmentBase
        let available = Int(end - offset)
        var bytes = try POSIX.read(descriptor, count: min(available, maximumBytes), at: filePosition, path: path)
        var entries: [JournalEntry] = []
        var position = 0
        decoding: while entries.count < maximumCount, position < bytes.count {
            switch JournalFormat.decodeEntry(bytes, at: position) {
            case .entry(let payload, let flags, let receivedAt, let size):
                let entryOffset = offset + Int64(position)
                entries.append(JournalEntry(
                    offset: entryOffset, nextOffset: entryOffset + Int64(size), payload: Array(payload),
                    isTruncated: flags.contains(.truncated), receivedAt: JournalTimestamp(microsecondsSince1970: receivedAt),
                    isUnterminated: flags.contains(.unterminated)
                ))
                position += size
            case .incomplete(let size):
                // The entry continues past what was read: the next read starts with it.
                guard entries.isEmpty else { break decoding }
                // The first entry alone is larger than maximumBytes: read exactly that entry.
                let needed = size ?? JournalFormat.entryHeaderLength
                guard needed <= available, needed > bytes.count else {
                    throw JournalError(.corrupted, site: site, path: path, offset: offset,
                                       detail: "entry runs past the durable end of its segment")
                }
                bytes = try POSIX.read(descriptor, count: needed, at: filePosition, path: path)
            case .invalidHeader:
                throw JournalError(.corrupted, site: site, path: path, offset: offset + Int64(position),
                                   detail: "invalid entry header (or the offset is not where an entry starts)")
            case .checksumMismatch:
                throw JournalError(.corrupted, site: site, path: path, offset: offset + Int64(position),
                                   detail: "entry checksum mismatch")
            }
        }
        return JournalBatch(entries: entries, nextOffset: offset + Int64(position))
    }

    /// Returns when an entry after `offset` is durable, i.e. ``endOffset`` > `offset`.
    ///
    /// - Throws: ``JournalError`` `.closed` when the journal stops first; `CancellationError`.
    public func waitForEntries(after offset: Int64) async throws {
        let id = self.nextWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = self.state.withLock { state in
                    if state.durableEnd > offset { return .success(()) }
                    if case .failed(let error) = state.phase { return .failure(error) }
                    if state.phase == .stopped { return .failure(self.closedError(nil)) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.dataWaiters.append(Waiter(id: id, offset: offset, continuation: continuation))
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> Waiter? in
                guard let index = state.dataWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.dataWaiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: - Releasing

    /// Frees every segment that lies entirely before `offset` (deleting or archiving it, per
    /// ``Configuration/releaseMode``) and lets waiting appends proceed. The segment being
    /// written is never released. Call it after the loader committed `offset`.
    ///
    /// - Throws: ``JournalError`` `.offsetBeyondEnd` or `.ioFailed`.
    public func release(upTo offset: Int64) async throws {
        let victims: [Segment] = try self.state.withLock { state in
            guard offset <= state.durableEnd else {
                throw JournalError(.offsetBeyondEnd, site: self.site, offset: offset,
                                   detail: "cannot release beyond the durable end \(state.durableEnd)")
            }
            var victims: [Segment] = []
            while state.segments.count > 1, state.segments[1].base <= offset {
                victims.append(state.segments.removeFirst())
            }
            return victims
        }
        guard !victims.isEmpty else { return }
        let directory = self.directory
        let mode = self.configuration.releaseMode
        let freed = Mutex<Int64>(0)
        var failure: (any Error)? = nil
        do {
            try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                let archive = directory + "/archive"
                if mode == .archive { try POSIX.makeDirectories(archive) }
                for victim in victims {
                    let path = victim.path(in: directory)
                    switch mode {
                    case .delete: try POSIX.unlink(path)
                    case .archive: try POSIX.rename(path, archive + "/" + JournalFormat.segmentName(base: victim.base))
                    }
                    freed.withLock { $0 += victim.fileSize }
                }
                if mode == .archive { try POSIX.syncDirectory(archive) }
                try POSIX.syncDirectory(directory)
            }.get()
        } catch {
            failure = error
        }
        let freedBytes = freed.withLock { $0 }
        let (admitted, wakeups, ended, retained) = self.state.withLock { state in
            state.retainedBytes -= freedBytes
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration)
            return (admitted, wakeups, state.endBackpressureIfDrained(), state.retainedBytes)
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        self.logger.debug(
            "Journal segments released",
            metadata: ["smdr.journal.segments": "\(victims.count)", "smdr.journal.freed_bytes": "\(freedBytes)"]
        )
        self.observability.journalDepthChanged(site: self.site, retainedBytes: retained)
        if ended {
            self.logger.notice("Journal has room again: reading from PBX connections resumes")
            self.observability.journalBackpressureEnded(site: self.site)
        }
        if let failure { throw Self.journalError(failure, site: self.site) }
    }

    // MARK: - Service

    /// Runs the group-commit writer until graceful shutdown or cancellation, then syncs what
    /// is queued (lines waiting for room are admitted over the limit rather than dropped) and
    /// returns. Appends after that throw ``JournalError/Code/closed``.
    ///
    /// - Throws: ``JournalError`` `.ioFailed` if a write or sync fails; the journal is then
    ///   unusable (restart the process; recovery cuts what was not synced).
    public func run() async throws {
        // Stopped or failed, this journal appends nothing more: let a new one open the directory.
        defer { self.lock.release() }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await self.writeLoop()
        } onCancelOrGracefulShutdown: {
            self.beginShutdown()
        }
    }

    private func beginShutdown() {
        let (admitted, wakeups, ended) = self.state.withLock { state -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>], Bool) in
            guard state.phase == .running else { return ([], [], false) }
            state.phase = .shuttingDown
            let (admitted, wakeups) = state.admitRoomWaiters(configuration: self.configuration, ignoringLimit: true)
            var all = wakeups
            if let writer = state.writerWakeup.take() { all.append(writer) }
            if let batch = state.batchWaiter.take() { all.append(batch) }
            return (admitted, all, state.endBackpressureIfDrained())
        }
        for (waiter, location) in admitted { waiter.continuation.resume(returning: location) }
        wakeups.forEach { $0.resume() }
        if ended { self.observability.journalBackpressureEnded(site: self.site) }
    }

    private func writeLoop() async throws {
        while true {
            await self.waitForWork()
            let stopped: [Waiter]? = self.state.withLock { state in
                guard state.pendingSizes.isEmpty, state.phase != .running else { return nil }
                state.phase = .stopped
                defer { state.dataWaiters.removeAll() }
                return state.dataWaiters
            }
            if let stopped {
                stopped.forEach { $0.continuation.resume(throwing: self.closedError(nil)) }
                self.logger.debug("Journal writer stopped", metadata: ["smdr.journal.end_offset": "\(self.endOffset)"])
                return
            }
            await self.waitForBatch()
            try await self.commitPending()
        }
    }

    private func waitForWork() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state in
                if !state.pendingSizes.isEmpty || state.phase != .running { return true }
                state.writerWakeup = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func waitForBatch() async {
        guard self.configuration.flushInterval > .zero else { return }
        let interval = TimeAmount(self.configuration.flushInterval)
        var timer: Scheduled<Void>? = nil
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let deadline: NIODeadline? = self.state.withLock { state in
                guard state.phase == .running, state.pendingSizes.count < self.configuration.flushLines,
                      let first = state.pendingFirstArrival, first + interval > .now()
                else { return nil }
                state.batchWaiter = continuation
                return first + interval
            }
            guard let deadline else { return continuation.resume() }
            timer = self.eventLoop.scheduleTask(deadline: deadline) {
                self.state.withLock { $0.batchWaiter.take() }?.resume()
            }
        }
        timer?.cancel()
    }

    private func commitPending() async throws {
        let batch = self.state.withLock { $0.takeBatch() }
        guard let batch else { return }
        let started = ContinuousClock.now
        let directory = self.directory
        let segmentSize = Int64(self.configuration.segmentSize)
        let result: Result<WriteResult, any Error>
        do {
            result = .success(try await self.threadPool.runIfActive(eventLoop: self.eventLoop) {
                try Self.write(batch, directory: directory, segmentSize: segmentSize)
            }.get())
        } catch {
            result = .failure(Self.journalError(error, site: self.site))
        }
        switch result {
        case .success(let written):
            let (resumed, retained) = self.state.withLock { state in
                state.committed(batch, written)
            }
            resumed.forEach { $0.resume() }
            let duration = ContinuousClock.now - started
            if !written.created.isEmpty {
                self.logger.debug("Journal segment started", metadata: ["smdr.journal.segment_base": "\(written.created.last!.base)"])
            }
            self.observability.linesJournaled(site: self.site, count: batch.sizes.count, bytes: batch.bytes.count, duration: duration)
            self.observability.journalDepthChanged(site: self.site, retainedBytes: retained)
        case .failure(let error):
            self.logger.error("Journal write failed; lines not yet synced are not acknowledged", metadata: ["error": "\(error)"])
            let (failed, rooms) = self.state.withLock { $0.failed(error as! JournalError) }
            failed.forEach { $0.resume(throwing: error) }
            rooms.forEach { $0.continuation.resume(throwing: error) }
            throw error
        }
    }

    private static func write(_ batch: Batch, directory: String, segmentSize: Int64) throws -> WriteResult {
        var active = batch.active
        var descriptor = batch.activeDescriptor
        var created: [Segment] = []
        var wroteToActive = false
        var index = 0
        var position = 0
        let capacity = segmentSize - Int64(JournalFormat.headerLength)
        while index < batch.sizes.count {
            var chunk = 0
            var count = 0
            while index + count < batch.sizes.count {
                let used = active.dataLength + Int64(chunk)
                let size = batch.sizes[index + count]
                if used > 0, used + Int64(size) > capacity { break }
                chunk += size
                count += 1
            }
            if count > 0 {
                let path = active.path(in: directory)
                try batch.bytes.withUnsafeBytes { bytes in
                    try POSIX.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: bytes[position..<(position + chunk)]),
                                       at: active.fileSize, path: path)
                }
                active.fileSize += Int64(chunk)
                position += chunk
                index += count
                wroteToActive = true
            }
            if index < batch.sizes.count {
                // The full segment must be durable before a newer one exists: recovery then only
                // ever finds a torn tail in the last segment.
                if wroteToActive { try POSIX.syncData(descriptor, path: active.path(in: directory)) }
                let next = Segment(base: active.end, fileSize: Int64(JournalFormat.headerLength))
                let newDescriptor = try Self.createSegment(next, directory: directory)
                POSIX.close(descriptor)
                descriptor = newDescriptor
                if created.isEmpty { created.append(active) } else { created[created.count - 1] = active }
                created.append(next)
                active = next
                wroteToActive = false
            }
        }
        if wroteToActive { try POSIX.syncData(descriptor, path: active.path(in: directory)) }
        if created.isEmpty { created.append(active) } else { created[created.count - 1] = active }
        // created[0] replaces the previously active segment; the rest are new.
        return WriteResult(segments: created, activeDescriptor: descriptor, created: Array(created.dropFirst()))
    }

    /// Creates a segment file atomically (temporary name, header synced, rename, directory
    /// synced) and returns a descriptor open for writing.
    static func createSegment(_ segment: Segment, directory: String) throws -> Int32 {
        let path = segment.path(in: directory)
        let temporary = path + ".tmp"
        let descriptor = try POSIX.open(temporary, flags: O_CREAT | O_TRUNC | O_WRONLY)
        do {
            try JournalFormat.encodeHeader(base: segment.base).withUnsafeBytes {
                try POSIX.writeAll(descriptor, $0, at: 0, path: temporary)
            }
            try POSIX.sync(descriptor, path: temporary)
            try POSIX.rename(temporary, path)
            try POSIX.syncDirectory(directory)
        } catch {
            POSIX.close(descriptor)
            throw error
        }
        return descriptor
    }

    // MARK: - Errors

    private func closedError(_ reason: JournalError?) -> JournalError {
        if let reason { return reason }
        return JournalError(.closed, site: self.site, detail: "the journal has stopped")
    }

    static func journalError(_ error: any Error, site: String) -> JournalError {
        switch error {
        case let error as JournalError: return error
        case let error as DirectoryLockError:
            return JournalError(.inUse, site: site, path: error.path, detail: "the journal is open in \(error.holder.map { "process \($0)" } ?? "another process")")
        case let error as SystemCallError:
            return JournalError(.ioFailed, site: site, path: error.path, detail: error.description)
        default:
            return JournalError(.ioFailed, site: site, detail: "\(error)")
        }
    }
}

// MARK: - State

extension Journal {
    struct Segment: Hashable, Sendable {
        /// The journal offset of the first entry in the segment.
        var base: Int64
        /// The size of the file, header included (durable bytes only).
        var fileSize: Int64

        var dataLength: Int64 { self.fileSize - Int64(JournalFormat.headerLength) }
        var end: Int64 { self.base + self.dataLength }

        func path(in directory: String) -> String { directory + "/" + JournalFormat.segmentName(base: self.base) }
    }

    struct Recovered: Sendable {
        var segments: [Segment]
        var activeDescriptor: Int32
        var truncatedBytes: Int64
        var lock: DirectoryLock
    }

    struct RoomWaiter {
        var id: UInt64
        var encoded: [UInt8]
        var continuation: CheckedContinuation<JournalEntryLocation, any Error>
    }

    struct Waiter {
        var id: UInt64
        var offset: Int64
        var continuation: CheckedContinuation<Void, any Error>
    }

    struct Batch: Sendable {
        var bytes: [UInt8]
        var sizes: [Int]
        var end: Int64
        var active: Segment
        var activeDescriptor: Int32
    }

    struct WriteResult: Sendable {
        /// The previously active segment (updated), followed by new segments.
        var segments: [Segment]
        var activeDescriptor: Int32
        var created: [Segment]
    }

    enum Phase: Equatable {
        case running
        case shuttingDown
        case stopped
        case failed(JournalError)
    }

    enum EnqueueResult {
        case queued(JournalEntryLocation, [CheckedContinuation<Void, Never>])
        case full
        case closed(JournalError?)
    }

    struct State {
        var segments: [Segment]
        var activeDescriptor: Int32
        var assignedEnd: Int64
        var durableEnd: Int64
        var retainedBytes: Int64
        var pending: [UInt8] = []
        var pendingSizes: [Int] = []
        var pendingFirstArrival: NIODeadline? = nil
        var roomWaiters: [RoomWaiter] = []
        var durabilityWaiters: [Waiter] = []
        var dataWaiters: [Waiter] = []
        var writerWakeup: CheckedContinuation<Void, Never>? = nil
        var batchWaiter: CheckedContinuation<Void, Never>? = nil
        var phase: Phase = .running
        var isBackpressured = false
        /// Set by ``Journal/admitOverLimit()``: appends no longer wait for room.
        var isOverLimitAllowed = false

        init(segments: [Segment], activeDescriptor: Int32, assignedEnd: Int64, durableEnd: Int64, retainedBytes: Int64) {
            self.segments = segments
            self.activeDescriptor = activeDescriptor
            self.assignedEnd = assignedEnd
            self.durableEnd = durableEnd
            self.retainedBytes = retainedBytes
        }

        mutating func tryEnqueue(_ encoded: [UInt8], configuration: Configuration, requireEmptyQueue: Bool) -> EnqueueResult {
            switch self.phase {
            case .running, .shuttingDown: break
            case .stopped: return .closed(nil)
            case .failed(let error): return .closed(error)
            }
            let size = Int64(encoded.count)
            if self.phase == .running, !self.isOverLimitAllowed {
                if requireEmptyQueue, !self.roomWaiters.isEmpty { return .full }
                if self.retainedBytes + size > configuration.maximumBytes { return .full }
            }
            let (location, wakeups) = self.admit(encoded, configuration: configuration)
            return .queued(location, wakeups)
        }

        mutating func admit(_ encoded: [UInt8], configuration: Configuration) -> (JournalEntryLocation, [CheckedContinuation<Void, Never>]) {
            let size = Int64(encoded.count)
            let location = JournalEntryLocation(offset: self.assignedEnd, nextOffset: self.assignedEnd + size)
            self.assignedEnd += size
            self.retainedBytes += size
            self.pending.append(contentsOf: encoded)
            self.pendingSizes.append(encoded.count)
            if self.pendingFirstArrival == nil { self.pendingFirstArrival = .now() }
            var wakeups: [CheckedContinuation<Void, Never>] = []
            if let writer = self.writerWakeup.take() { wakeups.append(writer) }
            if self.pendingSizes.count >= configuration.flushLines, let batch = self.batchWaiter.take() {
                wakeups.append(batch)
            }
            return (location, wakeups)
        }

        /// Moves waiting appends into the pending batch, in order, while they fit.
        mutating func admitRoomWaiters(
            configuration: Configuration, ignoringLimit: Bool = false
        ) -> ([(RoomWaiter, JournalEntryLocation)], [CheckedContinuation<Void, Never>]) {
            var admitted: [(RoomWaiter, JournalEntryLocation)] = []
            var wakeups: [CheckedContinuation<Void, Never>] = []
            while let waiter = self.roomWaiters.first {
                if !ignoringLimit, self.retainedBytes + Int64(waiter.encoded.count) > configuration.maximumBytes { break }
                self.roomWaiters.removeFirst()
                let (location, more) = self.admit(waiter.encoded, configuration: configuration)
                admitted.append((waiter, location))
                wakeups += more
            }
            return (admitted, wakeups)
        }

        /// Returns `true` if backpressure just ended.
        mutating func endBackpressureIfDrained() -> Bool {
            guard self.isBackpressured, self.roomWaiters.isEmpty else { return false }
            self.isBackpressured = false
            return true
        }

        mutating func takeBatch() -> Batch? {
            guard !self.pendingSizes.isEmpty else { return nil }
            defer {
                self.pending = []
                self.pendingSizes = []
                self.pendingFirstArrival = nil
            }
            return Batch(bytes: self.pending, sizes: self.pendingSizes, end: self.assignedEnd,
                         active: self.segments.last!, activeDescriptor: self.activeDescriptor)
        }

        mutating func committed(_ batch: Batch, _ written: WriteResult) -> ([CheckedContinuation<Void, any Error>], Int64) {
            self.segments[self.segments.count - 1] = written.segments[0]
            self.segments += written.created
            self.activeDescriptor = written.activeDescriptor
            self.retainedBytes += Int64(written.created.count * JournalFormat.headerLength)
            self.durableEnd = batch.end
            var resumed: [CheckedContinuation<Void, any Error>] = []
            let end = self.durableEnd
            self.durabilityWaiters.removeAll { waiter in
                guard waiter.offset <= end else { return false }
                resumed.append(waiter.continuation)
                return true
            }
            self.dataWaiters.removeAll { waiter in
                guard waiter.offset < end else { return false }
                resumed.append(waiter.continuation)
                return true
            }
            return (resumed, self.retainedBytes)
        }

        mutating func failed(_ error: JournalError) -> ([CheckedContinuation<Void, any Error>], [RoomWaiter]) {
            self.phase = .failed(error)
            let failed = self.durabilityWaiters.map(\.continuation) + self.dataWaiters.map(\.continuation)
            let rooms = self.roomWaiters
            self.durabilityWaiters = []
            self.dataWaiters = []
            self.roomWaiters = []
            self.pending = []
            self.pendingSizes = []
            return (failed, rooms)
        }
    }
}
