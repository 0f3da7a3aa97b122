/// A table for a terminal: columns aligned by display width (``TerminalText``), numbers right
/// and text left, every line of the table the same width.
struct TextTable: Sendable {
    enum Alignment: Sendable {
        case left
        case right
    }

    struct Column: Sendable {
        var title: String
        var alignment: Alignment

        init(_ title: String, _ alignment: Alignment) {
            self.title = title
            self.alignment = alignment
        }
    }

    private enum Row {
        case cells([String])
        case rule
    }

    /// The widest a cell may be; longer values are cut with `…`.
    static let maximumCellWidth = 40
    /// Between two columns.
    private static let gap = "  "

    var columns: [Column]
    private var rows: [Row] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    /// A row; each value is sanitized and cut to ``maximumCellWidth``.
    mutating func append(_ cells: [String]) {
        precondition(cells.count == self.columns.count, "a row has one cell per column")
        self.rows.append(.cells(cells.map { TerminalText.truncated(TerminalText.sanitized($0), maximum: Self.maximumCellWidth) }))
    }

    /// A line of `-` across the table.
    mutating func appendRule() {
        self.rows.append(.rule)
    }

    /// The header, a rule and the rows, each line ending in `\n`.
    var text: String {
        let titles = self.columns.map { TerminalText.truncated(TerminalText.sanitized($0.title), maximum: Self.maximumCellWidth) }
        var widths = titles.map { TerminalText.width($0) }
        for case .cells(let cells) in self.rows {
            for (index, cell) in cells.enumerated() {
                widths[index] = max(widths[index], TerminalText.width(cell))
            }
        }
        let total = widths.reduce(0, +) + Self.gap.count * max(widths.count - 1, 0)
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                parts.append(TerminalText.padded(cell, to: widths[index], alignment: self.columns[index].alignment))
            }
            return parts.joined(separator: Self.gap) + "\n"
        }
        var text = line(titles)
        text += String(repeating: "-", count: total) + "\n"
        for row in self.rows {
            switch row {
            case .cells(let cells): text += line(cells)
            case .rule: text += String(repeating: "-", count: total) + "\n"
            }
        }
        return text
    }
}
