import Foundation
import SMDRCore

/// A `smdr.raw_record` row: a decided line (a ``DecidedLine``) of one site, from one source.
package enum RawRecordRow {
    /// The columns the store writes, in `COPY` order (binary format: the server stores `bytea`
    /// without decoding hex). `loaded_at` is left to its default.
    package static func visitColumns<Visitor: ColumnVisitor<RowEncoder<CopyBinaryEncoder>>>(of line: borrowing DecidedLine, _ visitor: inout Visitor) {
        visitor.column("site_id", "integer") { encoder in encoder.format.append(int32: Int32(encoder.siteID)) }
        visitor.column("call_month", "date") { encoder in
            encoder.format.append(dateDaysSince1970: CivilTime.days(year: line.month.year, month: line.month.month, day: 1))
        }
        visitor.column("sha256", "bytea") { encoder in encoder.format.append(bytea: line.digest) }
        visitor.column("line", "bytea") { encoder in encoder.format.append(bytea: line.bytes) }
        visitor.column("received_at", "timestamp with time zone") { encoder in
            encoder.format.append(timestampMicrosecondsSince1970: Int64((line.receivedAt.timeIntervalSince1970 * 1_000_000).rounded()))
        }
        visitor.column("source_kind", "text") { encoder in encoder.format.append(encoder.source.kind.rawValue) }
        visitor.column("source_name", "text") { encoder in encoder.format.append(encoder.source.name) }
        visitor.column("source_position", "bigint") { encoder in encoder.format.append(int64: line.position) }
        visitor.column("is_truncated", "boolean") { encoder in encoder.format.append(line.isTruncated) }
        visitor.column("parse_error", "text") { encoder in encoder.format.append(line.error?.code.description) }
        visitor.column("parse_error_field", "smallint") { encoder in
            encoder.format.append(int16: line.error?.field.map { Int16($0.number) })
        }
        visitor.column("parse_error_offset", "integer") { encoder in
            encoder.format.append(int32: line.error.map { Int32(clamping: $0.offset) })
        }
    }

    /// The columns, by name and type, in `COPY` order.
    package static let columns: [(name: String, type: String)] = {
        var list = ColumnList<RowEncoder<CopyBinaryEncoder>>()
        Self.visitColumns(of: .placeholder, &list)  // a list visitor reads no field
        return list.columns
    }()

    /// ``columns`` as a SQL column list.
    static let columnList = Self.columns.map(\.name).joined(separator: ", ")
}
