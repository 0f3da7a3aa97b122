/// One record of a CSV file: its fields and the line it starts on.
package struct CSVRecord: Hashable, Sendable {
    /// 1-based line of the file where the record starts (a quoted field may span lines).
    package var line: Int
    package var fields: [String]

    package init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
