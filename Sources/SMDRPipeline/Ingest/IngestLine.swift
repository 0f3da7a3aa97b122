package import Foundation
package import SMDRCore

/// One framed line to load.
package struct IngestLine: Sendable {
    /// The line's bytes, without terminator (as ``FramedLine/bytes``).
    package var bytes: [UInt8]
    /// The line was cut at the line-length limit (``FramedLine/isTruncated``); it is stored rejected.
    package var isTruncated: Bool
    /// The line was cut off by the end of its connection (the PBX sends it again whole); it is
    /// stored rejected as `unterminated`, apart from the whole line.
    package var isUnterminated: Bool
    /// Line number in the file (1-based) or byte offset in the journal.
    package var position: Int64
    /// When the line arrived; the reference for ambiguous local times when the record has no
    /// SMDR Record Time.
    package var receivedAt: Date
    /// The parse result if the caller already parsed the line; `nil` lets the batcher parse it.
    package var parsed: Result<CallRecord, SMDRParseError>?

    package init(
        bytes: [UInt8],
        isTruncated: Bool = false,
        isUnterminated: Bool = false,
        position: Int64,
        receivedAt: Date,
        parsed: Result<CallRecord, SMDRParseError>? = nil
    ) {
        self.bytes = bytes
        self.isTruncated = isTruncated
        self.isUnterminated = isUnterminated
        self.position = position
        self.receivedAt = receivedAt
        self.parsed = parsed
    }

    package init(_ framed: FramedLine, position: Int64, receivedAt: Date, parsed: Result<CallRecord, SMDRParseError>? = nil) {
        self.init(bytes: framed.bytes, isTruncated: framed.isTruncated, position: position, receivedAt: receivedAt, parsed: parsed)
    }
}
