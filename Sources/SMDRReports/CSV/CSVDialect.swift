/// The CSV the register and the exports use: UTF-8, comma-separated, a header row, RFC 4180
/// quoting, CRLF line ends written (CRLF, LF or CR read).
///
/// Reading is strict where a mistake would silently change data (invalid UTF-8, an unterminated
/// quote, text after a closing quote) and bounded: no field longer than
/// ``maximumFieldBytes``, no record wider than ``maximumColumns``.
package enum CSVDialect {
    package static let separator: UInt8 = UInt8(ascii: ",")
    package static let quote: UInt8 = UInt8(ascii: "\"")
    /// The line end written after every record.
    package static let lineEnd: [UInt8] = [0x0D, 0x0A]
    /// The UTF-8 byte order mark some spreadsheets write first; skipped when read, never written.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// The longest field read, in bytes (64 KiB): longer is an error, not a truncation.
    package static let maximumFieldBytes = 64 * 1024
    /// The most fields in one record (256): a register file has at most ten columns.
    package static let maximumColumns = 256
}
