/// The rows a statement returned, copied out of libpq's result (text format).
public struct PostgresRows: RandomAccessCollection, Sendable {
    /// The result's column names, in order.
    public let columnNames: [String]
    /// The command tag (`INSERT 0 3`, `SELECT 2`, `COPY 10`).
    public let commandTag: String
    /// Rows inserted, updated, deleted, copied or selected, from the command tag; `nil` when it has no count.
    public let affectedRowCount: Int?
    let rows: [PostgresRow]

    init(columnNames: [String], commandTag: String, affectedRowCount: Int?, rows: [PostgresRow]) {
        self.columnNames = columnNames
        self.commandTag = commandTag
        self.affectedRowCount = affectedRowCount
        self.rows = rows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.rows.count }
    public subscript(position: Int) -> PostgresRow { self.rows[position] }
}

/// One row; cells by position or by column name.
public struct PostgresRow: Sendable {
    let columnNames: [String]
    public let cells: [PostgresCell]

    public subscript(index: Int) -> PostgresCell { self.cells[index] }

    /// The cell of the first column with that name.
    public subscript(column: String) -> PostgresCell {
        guard let index = self.columnNames.firstIndex(of: column) else {
            preconditionFailure("no column \(column) in \(self.columnNames)")
        }
        return self.cells[index]
    }
}

/// One value in PostgreSQL's text output format, with typed accessors.
public struct PostgresCell: Hashable, Sendable, CustomStringConvertible {
    /// The value's bytes in text format; `nil` for SQL `NULL`.
    public let bytes: [UInt8]?

    public init(bytes: [UInt8]?) { self.bytes = bytes }

    public var isNull: Bool { self.bytes == nil }

    public var string: String? { self.bytes.map { String(decoding: $0, as: UTF8.self) } }

    public var int: Int? { self.string.flatMap { Int($0) } }

    public var bool: Bool? {
        switch self.bytes {
        case [UInt8(ascii: "t")]?: true
        case [UInt8(ascii: "f")]?: false
        default: nil
        }
    }

    /// A `bytea` value, decoded from the `\x…` hex output format.
    public var bytea: [UInt8]? {
        guard let bytes = self.bytes, bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x")
        else { return nil }
        return Hex.decode(bytes[2...])
    }

    public var description: String { self.string ?? "NULL" }
}

/// Lower-case hexadecimal, as `bytea` input and output use it.
package enum Hex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(Self.digits[Int(byte >> 4)])
            text.append(Self.digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    package static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var iterator = text.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = Self.value(high), let l = Self.value(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
