/// What an import did, or would do (dry run), to one kind of the register.
public struct RegisterChanges: Hashable, Sendable {
    /// A row of the file and how it differs from the register.
    public struct Change: Hashable, Sendable {
        public var line: Int
        /// The key columns' values (``RegisterKind/keyColumns``).
        public var key: [String]
        /// The columns whose value changes; empty for an added row.
        public var columns: [String]
    }

    public var kind: RegisterKind
    public var added: [Change] = []
    public var changed: [Change] = []
    /// Keys of registered rows missing from the file (only with `--replace`): deactivated codes,
    /// removed numbers, defaults and timekeepers.
    public var missing: [[String]] = []
    public var unchanged = 0
    /// Rows the database refuses (an unknown code or site, a clash with a kept row); when there
    /// are any, nothing was applied.
    public var problems: [RegisterProblem] = []

    public init(kind: RegisterKind) { self.kind = kind }

    public var isNoChange: Bool { self.added.isEmpty && self.changed.isEmpty && self.missing.isEmpty }
}
