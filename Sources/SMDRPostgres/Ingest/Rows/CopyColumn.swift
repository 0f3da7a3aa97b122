/// One column of a row type that the store writes with `COPY`: its name, its type as
/// PostgreSQL's `format_type` spells it, and how a row encodes it.
///
/// A row type lists its columns once (``RawRecordRow/columns``, ``CallLegRow/columns``); the
/// `COPY` column list, the encoder and the merge statement's column lists derive from that
/// list, and a test compares it with the migrated schema.
package struct CopyColumn<Row, Encoder>: Sendable {
    package let name: String
    package let type: String
    let encode: @Sendable (borrowing Row, inout Encoder) -> Void

    init(_ name: String, _ type: String, _ encode: @escaping @Sendable (borrowing Row, inout Encoder) -> Void) {
        self.name = name
        self.type = type
        self.encode = encode
    }
}

extension Array {
    /// The column names, comma-separated, for a column list in SQL.
    package func columnList<Row, Encoder>(prefix: String = "") -> String where Element == CopyColumn<Row, Encoder> {
        self.map { prefix + $0.name }.joined(separator: ", ")
    }

    /// Encodes every column of `row`, in order.
    @inline(__always)
    func encode<Row, Encoder>(_ row: borrowing Row, into encoder: inout Encoder) where Element == CopyColumn<Row, Encoder> {
        for column in self { column.encode(row, &encoder) }
    }
}
