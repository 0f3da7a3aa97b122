/// A code a person gave a call after it ended ("add a billing code"); it wins over every rule
/// and survives every re-match.
public struct ManualAssignment: Hashable, Sendable {
    public var call: CallKey
    public var code: String
    public var note: String
    /// Database role or web user who assigned it.
    public var assignedBy: String

    public init(call: CallKey, code: String, note: String = "", assignedBy: String = "") {
        self.call = call
        self.code = code
        self.note = note
        self.assignedBy = assignedBy
    }
}
