public import Logging
public import NIOCore
public import NIOPosix
import SMDRCore
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

    let logger: Logger
    let observability: any JournalObservabilityDelegate
    let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    let eventLoop: any EventLoop
    let state: Mutex<State>
    let nextWaiterID = Atomic<UInt64>(0)
    /// Held until the writer stops: no other process or `Journal` opens the directory meanwhile.
    let lock: DirectoryLock

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
        observability: any JournalObservabilityDelegate = NoOpJournalObservability(),
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
        observability: any JournalObservabilityDelegate, threadPool: NIOThreadPool, ownsThreadPool: Bool,
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

    // MARK: - Errors

    func closedError(_ reason: JournalError?) -> JournalError {
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
