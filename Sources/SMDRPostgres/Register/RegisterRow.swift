public import SMDRRating

/// A row of a register file: the value it holds and the line of the file it starts on.
public struct RegisterRow<Value: Hashable & Sendable>: Hashable, Sendable {
    public var line: Int
    public var value: Value

    public init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }
}

/// The rows of one register file, parsed.
public enum RegisterRows: Hashable, Sendable {
    case codes([RegisterRow<AccountCode>])
    case numbers([RegisterRow<ClientNumber>])
    case defaults([RegisterRow<CodeDefault>])
    case timekeepers([RegisterRow<Timekeeper>])

    public var kind: RegisterKind {
        switch self {
        case .codes: .codes
        case .numbers: .numbers
        case .defaults: .defaults
        case .timekeepers: .timekeepers
        }
    }

    public var count: Int {
        switch self {
        case .codes(let rows): rows.count
        case .numbers(let rows): rows.count
        case .defaults(let rows): rows.count
        case .timekeepers(let rows): rows.count
        }
    }
}

/// A row that cannot be imported: its line, the column, and what is wrong and what is expected.
public struct RegisterProblem: Hashable, Sendable, Comparable {
    /// 1-based line of the file (the header is line 1 or, after empty lines, later).
    public var line: Int
    /// The CSV column; empty when the problem is the whole row or the header.
    public var column: String
    public var message: String

    public init(line: Int, column: String, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE: column NAME: message`.
    public func formatted(file: String) -> String {
        self.column.isEmpty ? "\(file):\(self.line): \(self.message)" : "\(file):\(self.line): column \(self.column): \(self.message)"
    }

    public static func < (lhs: RegisterProblem, rhs: RegisterProblem) -> Bool {
        (lhs.line, lhs.column, lhs.message) < (rhs.line, rhs.column, rhs.message)
    }
}

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
