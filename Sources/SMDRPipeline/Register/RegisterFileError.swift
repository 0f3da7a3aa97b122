package import SMDRPostgres
import SMDRRating

/// A register file with bad rows: nothing of it was applied.
package struct RegisterFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as named on the command line.
    package var file: String
    /// Every problem, sorted by line.
    package var problems: [RegisterProblem]

    package init(file: String, problems: [RegisterProblem]) {
        self.file = file
        self.problems = problems
    }

    /// One line per problem (at most ``RegisterImport/maximumReportedProblems``), then what happened.
    package var description: String {
        var lines = self.problems.prefix(RegisterImport.maximumReportedProblems).map { $0.formatted(file: self.file) }
        if self.problems.count > RegisterImport.maximumReportedProblems {
            lines.append("… and \(self.problems.count - RegisterImport.maximumReportedProblems) more problems")
        }
        lines.append("\(self.file): nothing imported (\(self.problems.count) problem\(self.problems.count == 1 ? "" : "s"))")
        return lines.joined(separator: "\n")
    }
}
