/// Splits a byte stream into SMDR lines, the same way for files and sockets.
///
/// ## Framing behavior
/// - A line ends at CR LF, LF, or CR alone; a CR LF split across two chunks is one terminator.
/// - NUL bytes are dropped wherever they appear (zero-filled PBX buffers).
/// - Empty lines (nothing left after NULs are dropped) are skipped.
/// - A line longer than ``maximumLineLength`` keeps its first ``maximumLineLength`` bytes and is
///   marked ``FramedLine/isTruncated``; the rest, up to the next terminator, is discarded.
/// - ``finish()`` returns the final line when the stream ends without a terminator, marked
///   ``FramedLine/isUnterminated``: a file's last line often lacks one (accept it), while on a
///   connection it is a record the sender did not finish (reject it, keep its bytes).
public struct LineFramer: Sendable {
    /// The default for ``maximumLineLength``: 4096 bytes, about ten times the longest real SMDR line.
    public static let defaultMaximumLineLength = 4096

    /// The longest line kept whole, in bytes.
    public let maximumLineLength: Int

    private var pending: [UInt8] = []
    private var isDiscarding = false
    private var skipLineFeed = false

    public init(maximumLineLength: Int = LineFramer.defaultMaximumLineLength) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// The bytes of an unterminated line held since the last terminator.
    public var pendingByteCount: Int { self.pending.count }

    /// Feeds a chunk and calls `body` with every line it completes, in order.
    public mutating func append(_ chunk: some Collection<UInt8>, _ body: (FramedLine) throws -> Void) rethrows {
        let handled: Void?? = try chunk.withContiguousStorageIfAvailable { buffer in
            try self.scan(buffer, body)
        }
        if handled == nil {
            let copy = Array(chunk)
            try copy.withUnsafeBufferPointer { try self.scan($0, body) }
        }
    }

    /// Ends the stream: returns the final line, marked ``FramedLine/isUnterminated``, if it had no terminator.
    public mutating func finish() -> FramedLine? {
        defer {
            self.pending.removeAll(keepingCapacity: true)
            self.isDiscarding = false
            self.skipLineFeed = false
        }
        guard !self.pending.isEmpty else { return nil }
        return FramedLine(bytes: self.pending, isTruncated: self.isDiscarding, isUnterminated: true)
    }

    private mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (FramedLine) throws -> Void) rethrows {
        var index = 0
        let count = buffer.count
        if self.skipLineFeed, count > 0 {
            self.skipLineFeed = false
            if buffer[0] == ASCII.lineFeed { index = 1 }
        }
        var segmentStart = index
        while index < count {
            let byte = buffer[index]
            if byte == ASCII.lineFeed || byte == ASCII.carriageReturn {
                self.take(buffer, from: segmentStart, to: index)
                if let line = self.completeLine() { try body(line) }
                index += 1
                if byte == ASCII.carriageReturn {
                    if index < count {
                        if buffer[index] == ASCII.lineFeed { index += 1 }
                    } else {
                        self.skipLineFeed = true
                    }
                }
                segmentStart = index
            } else if byte == ASCII.nul {
                self.take(buffer, from: segmentStart, to: index)
                index += 1
                segmentStart = index
            } else {
                index += 1
            }
        }
        self.take(buffer, from: segmentStart, to: count)
    }

    private mutating func take(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard start < end, !self.isDiscarding else { return }
        let room = self.maximumLineLength - self.pending.count
        if end - start <= room {
            self.pending.append(contentsOf: buffer[start..<end])
        } else {
            self.pending.append(contentsOf: buffer[start..<(start + room)])
            self.isDiscarding = true
        }
    }

    private mutating func completeLine() -> FramedLine? {
        defer {
            self.pending.removeAll(keepingCapacity: true)
            self.isDiscarding = false
        }
        guard !self.pending.isEmpty else { return nil }
        return FramedLine(bytes: self.pending, isTruncated: self.isDiscarding)
    }
}

/// One line cut by ``LineFramer``, without its terminator and without NUL bytes.
public struct FramedLine: Hashable, Sendable {
    public var bytes: [UInt8]
    /// The line was longer than the framer's limit and holds only its first bytes.
    public var isTruncated: Bool
    /// The stream ended before the line's terminator (see ``LineFramer/finish()``).
    public var isUnterminated: Bool

    public init(bytes: [UInt8], isTruncated: Bool = false, isUnterminated: Bool = false) {
        self.bytes = bytes
        self.isTruncated = isTruncated
        self.isUnterminated = isUnterminated
    }
}
