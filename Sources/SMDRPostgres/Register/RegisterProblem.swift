/// A row that cannot be imported: its line, the column, and what is wrong and what is expected.
package struct RegisterProblem: Hashable, Sendable, Comparable {
    /// 1-based line of the file (the header is line 1 or, after empty lines, later).
    package var line: Int
    /// The CSV column; empty when the problem is the whole row or the header.
    package var column: String
    package var message: String

    package init(line: Int, column: String, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE: column NAME: message`.
    package func formatted(file: String) -> String {
        self.column.isEmpty ? "\(file):\(self.line): \(self.message)" : "\(file):\(self.line): column \(self.column): \(self.message)"
    }

    package static func < (lhs: RegisterProblem, rhs: RegisterProblem) -> Bool {
        (lhs.line, lhs.column, lhs.message) < (rhs.line, rhs.column, rhs.message)
    }
}
