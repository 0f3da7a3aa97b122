/// A code a person gave a call after it ended ("add a billing code"); it wins over every rule
/// and survives every re-match.
public struct ManualAssignment: Hashable, Sendable {
    public var call: CallKey
    public var code: String
    public var note: String
    /// Database role or web user who assigned it.
    public var assignedBy: String
    /// The code's client and matter as the store read them with the assignment; `nil`: the
    /// matcher looks the code up in its register (which may have been read earlier).
    public var clientID: String?
    public var matterID: String?

    public init(
        call: CallKey, code: String, note: String = "", assignedBy: String = "", clientID: String? = nil, matterID: String? = nil
    ) {
        self.call = call
        self.code = code
        self.note = note
        self.assignedBy = assignedBy
        self.clientID = clientID
        self.matterID = matterID
    }
}
