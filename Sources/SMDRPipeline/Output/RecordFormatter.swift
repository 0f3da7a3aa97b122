public import SMDRCore

/// Renders parsed records as JSON lines, CSV or an aligned text table.
///
/// JSON: one object per line, keys from ``RecordColumn/all`` plus `line` (the 1-based input line
/// number); exact decimals are strings. CSV: RFC 4180 with a header row; a cell starting with
/// `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so spreadsheets never run it as a formula.
public struct RecordFormatter: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case json
        case csv
        case table
    }

    public let format: Format
    private let columns: [RecordColumn]

    public init(format: Format) {
        self.format = format
        self.columns = format == .table ? RecordColumn.summary : RecordColumn.all
    }

    /// The text before the first record (the CSV header row), if any.
    public var header: String? {
        switch self.format {
        case .json: nil
        case .csv: (["line"] + self.columns.map(\.name)).map(Self.csvCell).joined(separator: ",") + "\r\n"
        case .table: self.tableRow((["line"] + self.columns.map(\.name)).map { Self.tableLayout[$0]?.label ?? $0 })
        }
    }

    /// One record, with its terminating newline.
    public func render(_ record: CallRecord, line: Int) -> String {
        switch self.format {
        case .json:
            var out = "{\"line\":\(line)"
            for column in self.columns {
                out += ",\""
                out += column.name
                out += "\":"
                Self.appendJSON(column.value(record), to: &out)
            }
            out += "}\n"
            return out
        case .csv:
            let cells = [String(line)] + self.columns.map { $0.value(record).plainText }
            return cells.map(Self.csvCell).joined(separator: ",") + "\r\n"
        case .table:
            return self.tableRow([String(line)] + self.columns.map { $0.value(record).plainText })
        }
    }

    // MARK: - JSON

    private static func appendJSON(_ value: RecordColumn.Value, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .text(let text): self.appendJSONString(text, to: &out)
        case .integer(let value): out += String(value)
        case .boolean(let value): out += value ? "true" : "false"
        case .decimal(let value): self.appendJSONString(value.description, to: &out)
        case .dateTime(let value): self.appendJSONString(value.description, to: &out)
        case .list(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                self.appendJSONString(value, to: &out)
            }
            out += "]"
        }
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escaping; non-ASCII stays UTF-8).
    package static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    // MARK: - CSV and table

    /// One CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula.
    package static func csvCell(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        guard needsQuotes else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }

    /// Table columns: header label and width.
    private static let tableLayout: [String: (label: String, width: Int)] = [
        "line": ("line", 6), "call_start": ("call start", 19), "connected_seconds": ("conn s", 6),
        "ring_seconds": ("ring", 4), "caller": ("caller", 16), "direction": ("dir", 8),
        "called_number": ("called", 14), "account_code": ("account", 10), "call_id": ("call id", 10),
        "is_continued": ("cont", 5), "party1_device": ("party1", 7), "party1_name": ("name", 16),
        "party2_device": ("party2", 7), "party2_name": ("name", 16),
    ]

    private func tableRow(_ cells: [String]) -> String {
        let names = ["line"] + self.columns.map(\.name)
        var row = ""
        for (name, cell) in zip(names, cells) {
            let width = Self.tableLayout[name]?.width ?? 10
            var cell = cell
            if cell.count > width { cell = String(cell.prefix(width - 1)) + "…" }
            row += cell + String(repeating: " ", count: width - cell.count + 1)
        }
        while row.last == " " { row.removeLast() }
        return row + "\n"
    }
}
