/// A registered client telephone number (`numbers`): an E.164 number or prefix and the code its
/// calls bill.
public struct ClientNumber: Hashable, Sendable {
    public enum Match: String, Hashable, Sendable, CaseIterable {
        /// The whole number (`+441632960100`).
        case exact
        /// Every number that starts with it (`+4416329602`: a DDI block or switchboard range).
        case prefix
    }

    /// E.164 with `+`.
    public var number: String
    public var match: Match
    public var code: String
    /// Calls are still matched and shown, flagged (AgentLine's blacklist).
    public var blocked: Bool
    /// Free text; for a blocked number, the reason.
    public var note: String

    public init(number: String, match: Match, code: String, blocked: Bool = false, note: String = "") {
        self.number = number
        self.match = match
        self.code = code
        self.blocked = blocked
        self.note = note
    }
}
