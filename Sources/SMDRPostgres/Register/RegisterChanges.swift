/// What an import did, or would do (dry run), to one kind of the register.
package struct RegisterChanges: Hashable, Sendable {
    /// A row of the file and how it differs from the register.
    package struct Change: Hashable, Sendable {
        package var line: Int
        /// The key columns' values (``RegisterKind/keyColumns``).
        package var key: [String]
        /// The columns whose value changes; empty for an added row.
        package var columns: [String]
    }

    package var kind: RegisterKind
    package var added: [Change] = []
    package var changed: [Change] = []
    /// Keys of registered rows missing from the file (only with `--replace`): deactivated codes,
    /// removed numbers, defaults and timekeepers.
    package var missing: [[String]] = []
    package var unchanged = 0
    /// Rows the database refuses (an unknown code or site, a clash with a kept row); when there
    /// are any, nothing was applied.
    package var problems: [RegisterProblem] = []

    package init(kind: RegisterKind) { self.kind = kind }

    package var isNoChange: Bool { self.added.isEmpty && self.changed.isEmpty && self.missing.isEmpty }
}
