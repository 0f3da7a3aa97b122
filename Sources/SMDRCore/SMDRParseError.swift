/// Why a line is not an SMDR record: a code, the field, and the byte offset in the line where
/// the problem starts.
public struct SMDRParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case emptyLine
            case tooFewFields
            case invalidDate
            case invalidTime
            case invalidDuration
            case invalidInteger
            case invalidDecimal
            case invalidDirection
            case invalidFlag
            case lineTooLong
            case unterminated
        }

        private var base: Base
        private init(_ base: Base) { self.base = base }

        /// The line is empty (after NUL bytes were dropped).
        public static let emptyLine = Code(.emptyLine)
        /// Fewer than 17 comma-separated values.
        public static let tooFewFields = Code(.tooFewFields)
        /// Call Start or SMDR Record Time is not `YYYY/MM/DD HH:MM[:SS]` or not a real date/time.
        public static let invalidDate = Code(.invalidDate)
        /// A time-of-day component is out of range.
        public static let invalidTime = Code(.invalidTime)
        /// Connected Time is not `H+:MM:SS`.
        public static let invalidDuration = Code(.invalidDuration)
        /// A numeric field holds something other than decimal digits.
        public static let invalidInteger = Code(.invalidInteger)
        /// An amount field is not a decimal number.
        public static let invalidDecimal = Code(.invalidDecimal)
        /// Direction is not `I` or `O`.
        public static let invalidDirection = Code(.invalidDirection)
        /// A `0`/`1` field (Continuation, AuthValid) holds something else.
        public static let invalidFlag = Code(.invalidFlag)
        /// The line was longer than the configured limit and was truncated before parsing.
        public static let lineTooLong = Code(.lineTooLong)
        /// The connection ended (closed or reset) before the line's terminator: the sender did not
        /// finish the record, and will send it again whole. Never parsed, so it never becomes a leg.
        public static let unterminated = Code(.unterminated)

        /// A stable lower-camel-case name (`invalidDate`), used in logs, metrics and the database.
        public var description: String { self.base.rawValue }

        /// The code with the given ``description``, if there is one.
        public init?(_ name: String) {
            guard let base = Base(rawValue: name) else { return nil }
            self.base = base
        }
    }

    public var code: Code
    /// The field where the problem is; `nil` when it concerns the whole line.
    public var field: CallRecord.Field?
    /// Byte offset in the line (0-based) where the problem starts.
    public var offset: Int

    public init(code: Code, field: CallRecord.Field?, offset: Int) {
        self.code = code
        self.field = field
        self.offset = offset
    }

    public var description: String {
        if let field = self.field {
            return "\(self.code) in field \(field.number) (\(field)) at byte \(self.offset)"
        }
        return "\(self.code) at byte \(self.offset)"
    }
}
