/// Where lines come from: a capture file (or stdin) or a PBX connection's journal.
public struct IngestSource: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// `smdr ingest` of a file or stdin; positions are 1-based line numbers.
        case file
        /// Lines received from a PBX and replayed from the journal; positions are journal offsets.
        case peer
    }

    public var kind: Kind
    /// File path (`-` for stdin) or journal stream name.
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    public static func file(_ path: String) -> IngestSource { IngestSource(kind: .file, name: path) }
    public static func peer(stream: String) -> IngestSource { IngestSource(kind: .peer, name: stream) }

    public var description: String { "\(self.kind.rawValue):\(self.name)" }
}

/// A journal position to commit together with a batch: "every line of `stream` before
/// `offset` is loaded", on the condition that the stored checkpoint is still `expected`.
///
/// The condition makes the checkpoint a compare-and-set: a batch commits only if it starts
/// exactly where the stored checkpoint ends. Should an earlier batch have been lost (an
/// asynchronous commit PostgreSQL dropped in a crash), the next batch does not commit past the
/// gap; its transaction fails with ``JournalCheckpointConflict`` and the loader resumes from the
/// stored checkpoint.
public struct JournalCheckpoint: Hashable, Sendable {
    public var stream: String
    /// The checkpoint the database must hold for this batch to commit; `nil`: none stored yet.
    public var expected: Int64?
    public var offset: Int64

    public init(stream: String, expected: Int64?, offset: Int64) {
        self.stream = stream
        self.expected = expected
        self.offset = offset
    }
}

/// A batch's ``JournalCheckpoint`` did not match the stored one, so nothing of it was committed.
public struct JournalCheckpointConflict: Error, Hashable, Sendable, CustomStringConvertible {
    public var stream: String
    public var expected: Int64?
    /// The checkpoint the database holds; `nil`: none.
    public var stored: Int64?

    public init(stream: String, expected: Int64?, stored: Int64?) {
        self.stream = stream
        self.expected = expected
        self.stored = stored
    }

    public var description: String {
        "journal checkpoint of \(self.stream) is \(self.stored.map(String.init) ?? "absent"), "
            + "the batch expected \(self.expected.map(String.init) ?? "none"): nothing committed"
    }
}

/// What a load did with its lines.
///
/// `read = new + duplicate`. `rejected` counts the lines among them that did not parse (or
/// were truncated): they are stored in `raw_record` with their error, so a rejected line is
/// also new or duplicate. `newRejected` counts the rejected lines this load stored (the rest
/// were stored before).
public struct IngestCounts: Hashable, Sendable, CustomStringConvertible {
    public var read = 0
    public var new = 0
    public var duplicate = 0
    public var rejected = 0
    public var newRejected = 0

    public init(read: Int = 0, new: Int = 0, duplicate: Int = 0, rejected: Int = 0, newRejected: Int = 0) {
        self.read = read
        self.new = new
        self.duplicate = duplicate
        self.rejected = rejected
        self.newRejected = newRejected
    }

    public static func + (lhs: IngestCounts, rhs: IngestCounts) -> IngestCounts {
        IngestCounts(
            read: lhs.read + rhs.read,
            new: lhs.new + rhs.new,
            duplicate: lhs.duplicate + rhs.duplicate,
            rejected: lhs.rejected + rhs.rejected,
            newRejected: lhs.newRejected + rhs.newRejected
        )
    }

    public static func += (lhs: inout IngestCounts, rhs: IngestCounts) { lhs = lhs + rhs }

    public var description: String {
        "read \(self.read), new \(self.new), duplicate \(self.duplicate), rejected \(self.rejected)"
    }
}
