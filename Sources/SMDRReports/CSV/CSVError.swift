/// A CSV file that cannot be read, and the line where the problem is.
package struct CSVError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Problem: Hashable, Sendable {
        /// The bytes of the line are not UTF-8.
        case invalidUTF8
        /// A quoted field that starts on ``CSVError/line`` has no closing quote.
        case unterminatedQuote
        /// A closing quote followed by something other than `,` or the line end.
        case textAfterClosingQuote
        /// A field longer than ``CSVDialect/maximumFieldBytes``.
        case fieldTooLong
        /// A record with more fields than ``CSVDialect/maximumColumns``.
        case tooManyColumns
    }

    /// 1-based line of the file.
    package var line: Int
    package var problem: Problem

    package init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }

    /// What is wrong and what is expected, without the file and line (the caller prefixes them).
    package var message: String {
        switch self.problem {
        case .invalidUTF8: "not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in spreadsheets)"
        case .unterminatedQuote: "a quoted field starts here and has no closing quote; a quote inside a quoted field is written \"\""
        case .textAfterClosingQuote: "text after a closing quote; a quote inside a quoted field is written \"\""
        case .fieldTooLong: "a field is longer than \(CSVDialect.maximumFieldBytes) bytes"
        case .tooManyColumns: "more than \(CSVDialect.maximumColumns) fields"
        }
    }

    package var description: String { "line \(self.line): \(self.message)" }
}
