/// Encodes rows in PostgreSQL's binary `COPY` format (`COPY … FROM STDIN (FORMAT binary)`).
///
/// The server reads binary values without parsing text: for `bytea` it saves decoding hex,
/// which made the binary `raw_record` load about three times cheaper on the server than text
/// (docs/benchmarks.md). Every row must write the columns of the `COPY` statement, in order,
/// with the column's exact type (`int4` is 4 bytes, `int8` is 8).
///
/// The encoded bytes start with the format's header; ``finish()`` appends its trailer.
public struct CopyBinaryEncoder: Sendable {
    /// The encoded header and rows (and trailer, after ``finish()``).
    public private(set) var bytes: [UInt8]
    private var fieldCountPosition = -1
    private var fieldsInRow: Int16 = 0
    /// Rows ended so far.
    public private(set) var rowCount = 0

    /// `PGCOPY\n\xFF\r\n\0`, then the flags and the header extension length (both 0).
    private static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    private static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
    /// Days from 1970-01-01 to 2000-01-01.
    private static let postgresEpochDays: Int64 = 10_957

    public init() {
        self.bytes = Self.header
    }

    /// Reserves room for `count` more bytes.
    public mutating func reserveCapacity(_ count: Int) {
        self.bytes.reserveCapacity(self.bytes.count + count)
    }

    /// Starts a row; its field count is filled in by ``endRow()``.
    public mutating func beginRow() {
        self.fieldCountPosition = self.bytes.count
        self.bytes.append(contentsOf: [0, 0])
        self.fieldsInRow = 0
    }

    /// Ends the current row.
    public mutating func endRow() {
        precondition(self.fieldCountPosition >= 0, "endRow() without beginRow()")
        self.bytes[self.fieldCountPosition] = UInt8(truncatingIfNeeded: self.fieldsInRow >> 8)
        self.bytes[self.fieldCountPosition + 1] = UInt8(truncatingIfNeeded: self.fieldsInRow)
        self.fieldCountPosition = -1
        self.rowCount += 1
    }

    /// Appends the trailer; no rows may follow.
    public mutating func finish() {
        self.appendBigEndian(Int16(-1))
    }

    /// `NULL`.
    public mutating func appendNull() {
        self.fieldsInRow += 1
        self.appendBigEndian(Int32(-1))
    }

    /// An `int2` value; `nil` is `NULL`.
    public mutating func append(int16 value: Int16?) {
        guard let value else { return self.appendNull() }
        self.appendLength(2)
        self.appendBigEndian(value)
    }

    /// An `int4` value; `nil` is `NULL`.
    public mutating func append(int32 value: Int32?) {
        guard let value else { return self.appendNull() }
        self.appendLength(4)
        self.appendBigEndian(value)
    }

    /// An `int8` value; `nil` is `NULL`.
    public mutating func append(int64 value: Int64?) {
        guard let value else { return self.appendNull() }
        self.appendLength(8)
        self.appendBigEndian(value)
    }

    /// A `boolean`; `nil` is `NULL`.
    public mutating func append(_ value: Bool?) {
        guard let value else { return self.appendNull() }
        self.appendLength(1)
        self.bytes.append(value ? 1 : 0)
    }

    /// A `bytea` value; `nil` is `NULL`.
    public mutating func append(bytea: [UInt8]?) {
        guard let bytea else { return self.appendNull() }
        self.appendLength(bytea.count)
        self.bytes.append(contentsOf: bytea)
    }

    /// A `text` value (UTF-8); `nil` is `NULL`. U+0000, which PostgreSQL text cannot hold,
    /// becomes U+FFFD, as in the text format.
    public mutating func append(_ text: String?) {
        guard var text else { return self.appendNull() }
        if text.utf8.contains(0) {
            text = String(decoding: text.utf8.flatMap { $0 == 0 ? [0xEF, 0xBF, 0xBD] : [$0] }, as: UTF8.self)
        }
        self.appendLength(text.utf8.count)
        self.bytes.append(contentsOf: text.utf8)
    }

    /// A `date`, given as days since 1970-01-01.
    public mutating func append(dateDaysSince1970 days: Int64) {
        self.appendLength(4)
        self.appendBigEndian(Int32(days - Self.postgresEpochDays))
    }

    /// A `timestamptz` (or `timestamp`), given as microseconds since 1970-01-01 00:00:00 UTC.
    public mutating func append(timestampMicrosecondsSince1970 microseconds: Int64) {
        self.appendLength(8)
        self.appendBigEndian(microseconds - Self.postgresEpochMicroseconds)
    }

    private mutating func appendLength(_ length: Int) {
        self.fieldsInRow += 1
        self.appendBigEndian(Int32(length))
    }

    private mutating func appendBigEndian<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }
}
