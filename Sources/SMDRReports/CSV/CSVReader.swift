/// Reads CSV (``CSVDialect``): RFC 4180 records from UTF-8 bytes.
///
/// - A UTF-8 byte order mark at the start is skipped.
/// - Lines end with CRLF, LF or CR; a quoted field may contain `,`, `""` (one quote), CR and LF
///   verbatim, and a record's line is the line where it starts.
/// - A quote inside an unquoted field is an ordinary character (`5" floppy`); after a closing
///   quote only `,` or the line end may follow.
/// - An empty line (nothing between two line ends) is no record; a missing final line end is fine.
/// - Fields are returned verbatim: no trimming, no formula escaping.
package enum CSVReader {
    /// Every record of `bytes`, header included.
    ///
    /// - Throws: ``CSVError`` naming the first line that cannot be read.
    package static func records(_ bytes: [UInt8]) throws(CSVError) -> [CSVRecord] {
        var start = 0
        if bytes.starts(with: CSVDialect.byteOrderMark) { start = CSVDialect.byteOrderMark.count }
        try Self.validateUTF8(bytes, from: start)

        let cr: UInt8 = 0x0D
        let lf: UInt8 = 0x0A
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var fieldWasQuoted = false
        var line = 1
        var recordLine = 1
        var index = start

        func endField() throws(CSVError) {
            guard fields.count < CSVDialect.maximumColumns else { throw CSVError(line: recordLine, problem: .tooManyColumns) }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func append(_ byte: UInt8) throws(CSVError) {
            guard field.count < CSVDialect.maximumFieldBytes else { throw CSVError(line: line, problem: .fieldTooLong) }
            field.append(byte)
        }
        /// Ends the record at a line end (`index` at CR or LF); returns the index after the line end.
        func endRecord(at position: Int) throws(CSVError) -> Int {
            var next = position + 1
            if bytes[position] == cr, next < bytes.count, bytes[next] == lf { next += 1 }
            if !(fields.isEmpty && field.isEmpty && !fieldWasQuoted) {
                try endField()
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            line += 1
            recordLine = line
            return next
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == CSVDialect.quote, field.isEmpty, !fieldWasQuoted {
                // A quoted field: up to the closing quote, line ends included.
                let quoteLine = line
                fieldWasQuoted = true
                index += 1
                while true {
                    guard index < bytes.count else { throw CSVError(line: quoteLine, problem: .unterminatedQuote) }
                    let inner = bytes[index]
                    if inner == CSVDialect.quote {
                        if index + 1 < bytes.count, bytes[index + 1] == CSVDialect.quote {
                            try append(CSVDialect.quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    if inner == lf || (inner == cr && !(index + 1 < bytes.count && bytes[index + 1] == lf)) { line += 1 }
                    try append(inner)
                    index += 1
                }
                if index < bytes.count, bytes[index] != CSVDialect.separator, bytes[index] != cr, bytes[index] != lf {
                    throw CSVError(line: line, problem: .textAfterClosingQuote)
                }
                continue
            }
            switch byte {
            case CSVDialect.separator:
                try endField()
                index += 1
            case cr, lf:
                index = try endRecord(at: index)
            default:
                try append(byte)
                index += 1
            }
        }
        if !(fields.isEmpty && field.isEmpty && !fieldWasQuoted) {
            try endField()
            records.append(CSVRecord(line: recordLine, fields: fields))
        }
        return records
    }

    /// Checks every physical line of `bytes` from `start` for UTF-8; throws naming the first bad one.
    static func validateUTF8(_ bytes: [UInt8], from start: Int) throws(CSVError) {
        var line = 1
        var lineStart = start
        var index = start
        func check(_ end: Int) throws(CSVError) {
            if bytes[lineStart..<end].allSatisfy({ $0 < 0x80 }) { return }
            if String(validating: bytes[lineStart..<end], as: UTF8.self) == nil {
                throw CSVError(line: line, problem: .invalidUTF8)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                try check(index)
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        try check(bytes.count)
    }
}
