package import Foundation
package import SMDRCore

/// One unique line of a ``DecidedBatch``: a `raw_record` row, and a `call_leg` row when it parsed.
package struct DecidedLine: Sendable {
    /// The line's bytes, without terminator.
    package var bytes: [UInt8]
    /// SHA-256 of ``bytes``: with the site and ``month``, the line's key.
    package var digest: [UInt8]
    /// The partition: the month read from the bytes, or ``CallMonth/unparsed`` for a fragment.
    package var month: CallMonth
    /// Line number in the file (1-based) or byte offset in the journal.
    package var position: Int64
    package var receivedAt: Date
    /// Cut at the line-length limit (stored rejected, as ``SMDRParseError/Code/lineTooLong``).
    package var isTruncated: Bool
    /// Exactly one of ``leg`` and ``error`` is set.
    package var leg: DecidedLeg?
    package var error: SMDRParseError?

    /// A fragment cut off by the end of its connection: kept in the unparsed month, apart from
    /// the whole line with the same bytes.
    package var isFragment: Bool { self.error?.code == .unterminated }

    package init(
        bytes: [UInt8],
        digest: [UInt8],
        month: CallMonth,
        position: Int64,
        receivedAt: Date,
        isTruncated: Bool,
        leg: DecidedLeg?,
        error: SMDRParseError?
    ) {
        self.bytes = bytes
        self.digest = digest
        self.month = month
        self.position = position
        self.receivedAt = receivedAt
        self.isTruncated = isTruncated
        self.leg = leg
        self.error = error
    }

    /// A line with nothing in it, for walking a row type's columns without encoding them.
    static let placeholder = DecidedLine(
        bytes: [], digest: [], month: .unparsed, position: 0, receivedAt: Date(timeIntervalSince1970: 0),
        isTruncated: false, leg: nil, error: nil
    )
}
