import Foundation
import SMDRCore

/// A `smdr.raw_record` row: a decided line of one site, from one source.
package struct RawRecordRow {
    var siteID: Int
    var source: IngestSource
    var line: DecidedLine

    /// The columns the store writes, in `COPY` order (binary format: the server stores `bytea`
    /// without decoding hex). `loaded_at` is left to its default.
    package static let columns: [CopyColumn<RawRecordRow, CopyBinaryEncoder>] = [
        CopyColumn("site_id", "integer") { row, encoder in encoder.append(int32: Int32(row.siteID)) },
        CopyColumn("call_month", "date") { row, encoder in
            encoder.append(dateDaysSince1970: CivilTime.days(year: row.line.month.year, month: row.line.month.month, day: 1))
        },
        CopyColumn("sha256", "bytea") { row, encoder in encoder.append(bytea: row.line.digest) },
        CopyColumn("line", "bytea") { row, encoder in encoder.append(bytea: row.line.bytes) },
        CopyColumn("received_at", "timestamp with time zone") { row, encoder in
            encoder.append(timestampMicrosecondsSince1970: Int64((row.line.receivedAt.timeIntervalSince1970 * 1_000_000).rounded()))
        },
        CopyColumn("source_kind", "text") { row, encoder in encoder.append(row.source.kind.rawValue) },
        CopyColumn("source_name", "text") { row, encoder in encoder.append(row.source.name) },
        CopyColumn("source_position", "bigint") { row, encoder in encoder.append(int64: row.line.position) },
        CopyColumn("is_truncated", "boolean") { row, encoder in encoder.append(row.line.isTruncated) },
        CopyColumn("parse_error", "text") { row, encoder in encoder.append(row.line.error?.code.description) },
        CopyColumn("parse_error_field", "smallint") { row, encoder in
            encoder.append(int16: row.line.error?.field.map { Int16($0.number) })
        },
        CopyColumn("parse_error_offset", "integer") { row, encoder in
            encoder.append(int32: row.line.error.map { Int32(clamping: $0.offset) })
        },
    ]

    /// ``columns`` as a SQL column list.
    static let columnList = Self.columns.columnList()
}
