public import NIOCore
public import SMDRCore

/// Cuts a TCP byte stream into SMDR lines with ``LineFramer``'s rules.
///
/// ```
/// bytes:  2008/06/28 09:28:41,00:00:00,9,...,0,0␍␊2008/06/28 09:30:57,...␊␀␀2008/...
///         └──────────── FramedLine ────────────┘   └──── FramedLine ───┘     └ kept until
///                                                                            the terminator
/// ```
///
/// ## Framing behavior
/// The rules are ``LineFramer``'s (CR, LF or CR LF, also split across reads; NULs dropped;
/// empty lines skipped; a line longer than the limit truncated, flagged, and the rest of it
/// discarded). On end of stream the final unterminated line is emitted.
///
/// ## Memory
/// Each call consumes the bytes up to and including the next terminator; when there is none,
/// it consumes everything and the framer keeps at most `maximumLineLength` bytes of the
/// unfinished line. So the decoder never holds more than one read plus one line, however
/// long a peer sends without a newline. Install it as
/// `ByteToMessageHandler(SMDRLineDecoder(maximumLineLength: n), maximumBufferSize: n)`;
/// the buffer limit is a safety net that never trips.
public struct SMDRLineDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = FramedLine

    private var framer: LineFramer

    public init(maximumLineLength: Int = LineFramer.defaultMaximumLineLength) {
        self.framer = LineFramer(maximumLineLength: maximumLineLength)
    }

    /// The longest line kept whole, in bytes.
    public var maximumLineLength: Int { self.framer.maximumLineLength }

    public mutating func decode(buffer: inout ByteBuffer) throws -> FramedLine? {
        while buffer.readableBytes > 0 {
            var line: FramedLine? = nil
            let consumed = buffer.withUnsafeReadableBytes { bytes in
                // Feed up to and including the next terminator, so at most one line completes.
                var end = 0
                while end < bytes.count, bytes[end] != lineFeed, bytes[end] != carriageReturn { end += 1 }
                if end < bytes.count { end += 1 }
                self.framer.append(UnsafeRawBufferPointer(rebasing: bytes[0..<end])) { line = $0 }
                return end
            }
            buffer.moveReaderIndex(forwardBy: consumed)
            if let line { return line }
        }
        return nil
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> FramedLine? {
        if let line = try self.decode(buffer: &buffer) { return line }
        return self.framer.finish()
    }
}

private let lineFeed = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
