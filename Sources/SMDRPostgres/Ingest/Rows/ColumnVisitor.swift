/// Walks the columns of a row type in `COPY` order: one call per column, with its name, its
/// type as PostgreSQL's `format_type` spells it, and how the row at hand encodes it.
///
/// A row type declares its columns once, as one `visitColumns(of:_:)` function
/// (``RawRecordRow``, ``CallLegRow``). Visited by ``ColumnWriter`` it encodes a row; visited by
/// ``ColumnList`` it yields the column names and types for the `COPY` statements, the merge
/// statement and the test against the migrated schema. The visitor is a generic parameter, so
/// encoding is specialised into straight-line code reading the row's fields in place, as a
/// hand-written encoder would.
package protocol ColumnVisitor<Encoder> {
    associatedtype Encoder
    mutating func column(_ name: String, _ type: String, _ encode: (inout Encoder) -> Void)
}

/// Runs every column's closure on ``encoder``: encodes a row into a `COPY` encoder, or reads
/// one back from a ``CopyTextFieldReader``.
struct ColumnWriter<Encoder>: ColumnVisitor {
    var encoder: Encoder

    @inline(__always)
    mutating func column(_ name: String, _ type: String, _ encode: (inout Encoder) -> Void) {
        encode(&self.encoder)
    }
}

extension CopyTextEncoder {
    /// Appends one row's columns through `visit`, without ending the row. The buffer is swapped
    /// into the writer and back, never copied: a second reference to it would make the next
    /// append copy all of it.
    mutating func appendColumns(_ visit: (inout ColumnWriter<CopyTextEncoder>) -> Void) {
        var writer = ColumnWriter(encoder: CopyTextEncoder())
        swap(&writer.encoder, &self)
        visit(&writer)
        swap(&writer.encoder, &self)
    }
}

/// Collects the column names and types (it encodes nothing).
package struct ColumnList<Encoder>: ColumnVisitor {
    package private(set) var columns: [(name: String, type: String)] = []

    package mutating func column(_ name: String, _ type: String, _ encode: (inout Encoder) -> Void) {
        self.columns.append((name, type))
    }
}
