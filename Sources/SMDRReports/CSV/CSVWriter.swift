/// Writes CSV (``CSVDialect``): RFC 4180, CRLF after every record, a field quoted only when it
/// must be (it holds `,`, `"`, CR or LF, or it is the only, empty field of its record).
///
/// Cells are written verbatim, so what ``CSVReader`` reads back is exactly what was written: a
/// cell like `=cmd|' /C calc'!A0` is plain text here. Spreadsheet exports that must not run
/// formulas pass their text cells through ``formulaSafe(_:)`` first; the register must
/// round-trip byte for byte, so it does not.
package struct CSVWriter: Sendable {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// Appends one record.
    package mutating func append(_ fields: [String]) {
        Self.appendRecord(fields, to: &self.bytes)
    }

    /// Appends one record to `bytes`, for writers that stream into a buffer of their own
    /// (`smdr export`), quoted exactly as ``append(_:)`` quotes it.
    package static func appendRecord(_ fields: [String], to bytes: inout [UInt8]) {
        if fields.count == 1, fields[0].isEmpty {
            // An empty line would read back as no record at all.
            bytes += [CSVDialect.quote, CSVDialect.quote]
        } else {
            for (position, field) in fields.enumerated() {
                if position > 0 { bytes.append(CSVDialect.separator) }
                Self.appendField(field, to: &bytes)
            }
        }
        bytes += CSVDialect.lineEnd
    }

    /// The records as one CSV text.
    package static func write(_ records: [[String]]) -> [UInt8] {
        var writer = CSVWriter()
        for record in records { writer.append(record) }
        return writer.bytes
    }

    private static func appendField(_ field: String, to bytes: inout [UInt8]) {
        let utf8 = field.utf8
        let needsQuotes = utf8.contains { $0 == CSVDialect.separator || $0 == CSVDialect.quote || $0 == 0x0D || $0 == 0x0A }
            || (bytes.isEmpty && utf8.starts(with: CSVDialect.byteOrderMark))
        guard needsQuotes else {
            bytes += utf8
            return
        }
        bytes.append(CSVDialect.quote)
        for byte in utf8 {
            if byte == CSVDialect.quote { bytes.append(CSVDialect.quote) }
            bytes.append(byte)
        }
        bytes.append(CSVDialect.quote)
    }
}
