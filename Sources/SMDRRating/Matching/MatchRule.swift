/// The rule that gave a billable leg its code (DESIGN §6), in precedence order.
public enum MatchRule: String, Hashable, Sendable, CaseIterable {
    case manual
    case code
    case codePattern = "code_pattern"
    case number
    case numberPrefix = "number_prefix"
    case `default`
    case unassigned
}
