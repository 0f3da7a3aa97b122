import CLibPQ

extension PostgresConnection {
    /// The default for ``copyIn(_:flushThreshold:_:)``: send `COPY` data in 64 KiB messages.
    public static let defaultCopyFlushThreshold = 64 * 1024

    /// Runs `COPY … FROM STDIN` (text format) and streams the rows `body` writes.
    ///
    /// Rows are encoded into a buffer and sent whenever it holds at least `flushThreshold` bytes,
    /// so memory stays bounded however many rows are written. If `body` throws, the `COPY` is
    /// aborted (nothing is stored) and the error is rethrown.
    ///
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyIn(
        _ sql: String,
        flushThreshold: Int = PostgresConnection.defaultCopyFlushThreshold,
        _ body: (inout CopyInWriter) throws -> Void
    ) throws -> Int {
        let start = PQexec(self.handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            guard let start else { throw self.connectionError(statement: sql) }
            _ = try self.rows(from: start, statement: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY FROM STDIN", statement: sql)
        }
        var writer = CopyInWriter(connection: self.handle, flushThreshold: flushThreshold)
        var failure: (any Error)?
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            failure = error
        }
        let endStatus: Int32 =
            if failure == nil {
                PQputCopyEnd(self.handle, nil)
            } else {
                PQputCopyEnd(self.handle, "aborted by client")
            }
        // Drain every result: the COPY's own, then the terminating NULL.
        var outcome: Result<Int, any Error> = .success(0)
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            do {
                let rows = try self.rows(from: result, statement: sql)
                outcome = .success(rows.affectedRowCount ?? 0)
            } catch {
                outcome = .failure(error)
            }
        }
        if let failure {
            // A server error met while sending (writer.flush) is more telling than "aborted by client".
            if case .failure(let serverError as PostgresError) = outcome, serverError.sqlState != .queryCanceled,
                failure is CopyAbort
            {
                throw serverError
            }
            throw failure
        }
        if endStatus != 1 {
            throw PostgresError(code: .copyFailed, message: PostgresConnection.errorMessage(self.handle), statement: sql)
        }
        return try outcome.get()
    }

    /// Runs `COPY … TO STDOUT` and calls `row` with each row's bytes as the server sent them
    /// (text format: tab-separated, escaped, ending in a newline; decode with ``CopyText/fields(of:)``).
    ///
    /// - Returns: the number of rows copied.
    @discardableResult
    public func copyOut(_ sql: String, _ row: ([UInt8]) throws -> Void) throws -> Int {
        let start = PQexec(self.handle, sql)
        defer { PQclear(start) }
        guard let start, PQresultStatus(start) == PGRES_COPY_OUT else {
            guard let start else { throw self.connectionError(statement: sql) }
            _ = try self.rows(from: start, statement: sql)
            throw PostgresError(code: .unexpectedResult, message: "statement did not start COPY TO STDOUT", statement: sql)
        }
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(self.handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if failure == nil {
                    do {
                        try row(Array(UnsafeRawBufferPointer(start: buffer, count: Int(length))))
                    } catch {
                        // Keep reading: libpq offers no way to stop a COPY OUT early but cancelling.
                        failure = error
                        self.cancelRunningStatement()
                    }
                }
            } else if length == -1 {
                break
            } else {
                throw PostgresError(code: .copyFailed, message: PostgresConnection.errorMessage(self.handle), statement: sql)
            }
        }
        var outcome: Result<Int, any Error> = .success(0)
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            do {
                outcome = .success(try self.rows(from: result, statement: sql).affectedRowCount ?? 0)
            } catch {
                outcome = .failure(error)
            }
        }
        if let failure { throw failure }
        return try outcome.get()
    }

    /// Asks the server to cancel the statement running on this connection.
    func cancelRunningStatement() {
        guard let cancel = PQgetCancel(self.handle) else { return }
        defer { PQfreeCancel(cancel) }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count))
    }
}

/// Marks an abort that came from the server refusing data while it was being sent.
struct CopyAbort: Error {}

/// Collects rows for ``PostgresConnection/copyIn(_:flushThreshold:_:)`` in `COPY` text format and
/// sends them in chunks.
///
/// Write each row's fields in column order with the `append` methods, then ``endRow()``; or
/// hand over rows encoded beforehand with ``write(encoded:)``.
public struct CopyInWriter {
    private let connection: OpaquePointer
    /// Bytes buffered before they are sent to the server.
    public let flushThreshold: Int
    private var encoder = CopyTextEncoder()

    init(connection: OpaquePointer, flushThreshold: Int) {
        precondition(flushThreshold > 0, "flushThreshold must be positive")
        self.connection = connection
        self.flushThreshold = flushThreshold
        self.encoder.bytes.reserveCapacity(flushThreshold + 4096)
    }

    /// Rows ended so far with ``endRow()``.
    public var rowCount: Int { self.encoder.rowCount }

    /// A text value (escaped; `nil` is `NULL`). U+0000, which PostgreSQL text cannot hold, becomes U+FFFD.
    public mutating func append(_ text: String?) { self.encoder.append(text) }
    /// A `bytea` value.
    public mutating func append(bytea: [UInt8]?) { self.encoder.append(bytea: bytea) }
    /// An integer.
    public mutating func append(_ value: Int?) { self.encoder.append(value) }
    /// A boolean.
    public mutating func append(_ value: Bool?) { self.encoder.append(value) }
    /// A text array.
    public mutating func append(array: [String]?) { self.encoder.append(array: array) }

    /// Ends the row, sending the buffer if it reached ``flushThreshold``.
    public mutating func endRow() throws {
        self.encoder.endRow()
        if self.encoder.bytes.count >= self.flushThreshold {
            try self.flush()
        }
    }

    /// Sends complete rows already in `COPY` text format (from a ``CopyTextEncoder``).
    public mutating func write(encoded rows: [UInt8]) throws {
        try self.flush()
        try rows.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let end = min(start + self.flushThreshold, buffer.count)
                try self.send(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                start = end
            }
        }
    }

    mutating func flush() throws {
        guard !self.encoder.bytes.isEmpty else { return }
        try self.encoder.bytes.withUnsafeBufferPointer { try self.send($0) }
        self.encoder.bytes.removeAll(keepingCapacity: true)
    }

    private func send(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        let status = bytes.withMemoryRebound(to: CChar.self) { characters in
            PQputCopyData(self.connection, characters.baseAddress, Int32(characters.count))
        }
        guard status == 1 else {
            // The server has usually already refused the data (a constraint violation mid-COPY);
            // its error arrives with the COPY's result.
            throw CopyAbort()
        }
    }
}

/// Encodes rows in PostgreSQL's `COPY` text format into a byte buffer.
///
/// Fields are separated by tabs and rows end in a newline; `NULL` is `\N`; backslash, tab,
/// newline and carriage return in text are backslash-escaped; `bytea` is written as `\\x` and hex.
public struct CopyTextEncoder: Sendable {
    /// The encoded rows.
    public var bytes: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rowCount = 0

    public init() {}

    @inline(__always)
    private mutating func separate() {
        if self.fieldsInRow > 0 { self.bytes.append(CopyText.tab) }
        self.fieldsInRow += 1
    }

    /// A text value; `nil` is `NULL`. U+0000, which PostgreSQL text cannot hold, becomes U+FFFD.
    public mutating func append(_ text: String?) {
        self.separate()
        guard var text else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendEscaped(&text, to: &self.bytes)
    }

    /// A `bytea` value.
    public mutating func append(bytea: [UInt8]?) {
        self.separate()
        guard let bytea else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendBytea(bytea, to: &self.bytes)
    }

    /// An integer.
    public mutating func append(_ value: Int?) {
        self.separate()
        guard let value else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendInteger(value, to: &self.bytes)
    }

    /// A boolean, as `t`/`f`.
    public mutating func append(_ value: Bool?) {
        self.separate()
        guard let value else { return CopyText.appendNull(to: &self.bytes) }
        self.bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A value already in `COPY` text form (digits, a date or timestamp); the caller guarantees
    /// it holds no tab, newline, carriage return or backslash.
    public mutating func append(preformatted text: String) {
        self.separate()
        self.bytes.append(contentsOf: text.utf8)
    }

    /// A text array (`text[]`); `nil` is `NULL`.
    public mutating func append(array: [String]?) {
        guard let array else { return self.append(nil as String?) }
        var literal = "{"
        for (index, element) in array.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { literal += "\\" }
                literal.unicodeScalars.append(scalar)
            }
            literal += "\""
        }
        literal += "}"
        self.append(literal)
    }

    /// Ends the current row.
    public mutating func endRow() {
        self.bytes.append(CopyText.newline)
        self.fieldsInRow = 0
        self.rowCount += 1
    }

    /// Ends the current row without its newline: the caller appends the remaining fields and
    /// the newline later, to a copy of the bytes.
    package mutating func endRowWithoutTerminator() {
        self.fieldsInRow = 0
    }
}

@available(*, unavailable)
extension CopyInWriter: Sendable {}

/// PostgreSQL's `COPY` text format: tab-separated fields, `\N` for `NULL`, backslash escapes.
public enum CopyText {
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let backslash = UInt8(ascii: "\\")
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendNull(to buffer: inout [UInt8]) {
        buffer.append(Self.backslash)
        buffer.append(UInt8(ascii: "N"))
    }

    /// Appends `text` escaped: backslash, tab, newline and carriage return get backslash escapes;
    /// every other byte of the UTF-8 goes through unchanged, except NUL (see ``CopyInWriter/append(_:)-(String?)``).
    static func appendEscaped(_ text: inout String, to buffer: inout [UInt8]) {
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte <= Self.backslash else { continue }
                let replacement: (UInt8, UInt8)?
                switch byte {
                case Self.backslash: replacement = (Self.backslash, Self.backslash)
                case Self.tab: replacement = (Self.backslash, UInt8(ascii: "t"))
                case Self.newline: replacement = (Self.backslash, UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): replacement = (Self.backslash, UInt8(ascii: "r"))
                case 0: replacement = nil
                default: continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                if let (first, second) = replacement {
                    buffer.append(first)
                    buffer.append(second)
                } else {
                    buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD for U+0000
                }
                runStart = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    /// Appends `\\x` and the bytes in hex: `bytea`'s hex input form with its backslash escaped for COPY.
    static func appendBytea(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(Self.backslash)
        buffer.append(Self.backslash)
        buffer.append(UInt8(ascii: "x"))
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        buffer.withUnsafeMutableBufferPointer { output in
            Self.hexDigits.withUnsafeBufferPointer { digits in
                var position = start
                for byte in bytes {
                    output[position] = digits[Int(byte >> 4)]
                    output[position + 1] = digits[Int(byte & 0x0F)]
                    position += 2
                }
            }
        }
    }

    static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        let count = withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: scratch[position...])
            return scratch.count - position
        }
        _ = count
    }

    /// Splits one `COPY … TO STDOUT` text row into its fields, undoing the escapes; `nil` is `NULL`.
    public static func fields(of row: [UInt8]) -> [[UInt8]?] {
        var line = row[...]
        if line.last == Self.newline { line = line.dropLast() }
        var fields: [[UInt8]?] = []
        var current: [UInt8] = []
        var index = line.startIndex
        var isNull = false
        while index < line.endIndex {
            let byte = line[index]
            index += 1
            if byte == Self.tab {
                fields.append(isNull ? nil : current)
                current = []
                isNull = false
                continue
            }
            guard byte == Self.backslash, index < line.endIndex else {
                current.append(byte)
                continue
            }
            let escaped = line[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "N"): isNull = true
            case UInt8(ascii: "t"): current.append(Self.tab)
            case UInt8(ascii: "n"): current.append(Self.newline)
            case UInt8(ascii: "r"): current.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "b"): current.append(0x08)
            case UInt8(ascii: "f"): current.append(0x0C)
            case UInt8(ascii: "v"): current.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    value = value * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                current.append(UInt8(truncatingIfNeeded: value))
            default: current.append(escaped)
            }
        }
        fields.append(isNull ? nil : current)
        return fields
    }
}
