/// A point in time with microsecond precision: microseconds since 1970-01-01 00:00:00 UTC.
public struct JournalTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var microsecondsSince1970: Int64

    public init(microsecondsSince1970: Int64) {
        self.microsecondsSince1970 = microsecondsSince1970
    }

    /// The real-time clock now.
    public static func now() -> JournalTimestamp {
        JournalTimestamp(microsecondsSince1970: POSIX.unixMicroseconds())
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.microsecondsSince1970 < rhs.microsecondsSince1970 }

    public var description: String { "\(self.microsecondsSince1970)µs" }
}

/// Where an appended entry lies in its journal: `offset ..< nextOffset`.
public struct JournalEntryLocation: Hashable, Sendable {
    /// The journal offset of the entry.
    public var offset: Int64
    /// The offset right after it: where the next entry starts, and what a loader checkpoints
    /// after loading this entry.
    public var nextOffset: Int64
}

/// One journaled line, as read back.
public struct JournalEntry: Hashable, Sendable {
    /// The journal offset of the entry (monotonic per site, across segments).
    public var offset: Int64
    /// The offset of the following entry; checkpoint this after loading the entry.
    public var nextOffset: Int64
    /// The line's bytes, without terminator and NULs, exactly as received.
    public var payload: [UInt8]
    /// The line was longer than the limit and holds only its first bytes.
    public var isTruncated: Bool
    /// When the line was read from the socket.
    public var receivedAt: JournalTimestamp
    /// The connection ended (closed or reset) before the line's terminator: a record the PBX
    /// did not finish sending. Load it rejected, never as a call.
    public var isUnterminated: Bool

    public init(
        offset: Int64, nextOffset: Int64, payload: [UInt8], isTruncated: Bool, receivedAt: JournalTimestamp,
        isUnterminated: Bool = false
    ) {
        self.offset = offset
        self.nextOffset = nextOffset
        self.payload = payload
        self.isTruncated = isTruncated
        self.receivedAt = receivedAt
        self.isUnterminated = isUnterminated
    }
}

/// Consecutive entries returned by ``Journal/read(from:maximumCount:maximumBytes:)``.
public struct JournalBatch: Hashable, Sendable {
    public var entries: [JournalEntry]
    /// Where the next read starts: the last entry's ``JournalEntry/nextOffset``, or the
    /// requested offset when `entries` is empty (nothing durable beyond it yet).
    public var nextOffset: Int64
}

/// A journal operation failed. Compare ``code``; the other fields add context.
public struct JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case closed, corrupted, offsetReleased, offsetBeyondEnd, entryTooLarge, ioFailed, invalidConfiguration, inUse
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The journal has stopped (its service returned) or failed earlier.
        public static let closed = Code(.closed)
        /// A checksum or structure check failed on durable data: reported, never skipped.
        public static let corrupted = Code(.corrupted)
        /// The offset lies in a segment that was already released.
        public static let offsetReleased = Code(.offsetReleased)
        /// The offset lies beyond the durable end of the journal.
        public static let offsetBeyondEnd = Code(.offsetBeyondEnd)
        /// A payload larger than the journal's hard limit (16 MiB).
        public static let entryTooLarge = Code(.entryTooLarge)
        /// A system call failed; ``JournalError/detail`` names it.
        public static let ioFailed = Code(.ioFailed)
        /// A ``Journal/Configuration`` value that cannot work.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Another process (or another `Journal` in this one) has the directory open; the
        /// detail names the holder's PID.
        public static let inUse = Code(.inUse)
        public var description: String { self.base.rawValue }
    }

    public var code: Code
    public var site: String
    /// The segment file concerned, if any.
    public var path: String?
    /// The journal offset concerned, if any.
    public var offset: Int64?
    public var detail: String

    package init(_ code: Code, site: String, path: String? = nil, offset: Int64? = nil, detail: String) {
        self.code = code
        self.site = site
        self.path = path
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        var text = "journal of site \"\(self.site)\": \(self.code): \(self.detail)"
        if let offset = self.offset { text += " (offset \(offset))" }
        if let path = self.path { text += " [\(path)]" }
        return text
    }
}
