import CLibPQ

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

@available(*, unavailable)
extension CopyInWriter: Sendable {}
