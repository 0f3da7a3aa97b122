/// The matcher's verdict on one billable leg.
public struct LegMatch: Hashable, Sendable {
    /// Why the leg is billable time.
    public enum Kind: String, Hashable, Sendable {
        /// An internal user talking to an external trunk.
        case talk
        /// An internal user's leg to a conference channel of a conference with an external party.
        case conference
    }

    public var leg: LegKey
    /// The stitched call the leg belongs to.
    public var call: CallKey
    public var kind: Kind
    /// The internal user on the leg (the person who talked): device and name.
    public var userExtension: String
    public var userName: String
    /// The registered timekeeper of that user, if any.
    public var timekeeperID: String?
    /// The call's account code as entered on the phone (last non-empty Account among its legs); empty if none.
    public var enteredCode: String
    /// The code the leg bills: the matched code, or the entered code when it is not registered
    /// (then ``unverified``); `nil` when unassigned with nothing entered.
    public var code: String?
    public var clientID: String?
    public var matterID: String?
    public var rule: MatchRule
    /// An entered code that the register does not have (or not valid on the call's date): billed to nobody.
    public var unverified: Bool
    /// The matching client number is blocked.
    public var blocked: Bool
    /// The external party's number as on the leg (or the conference's external party's).
    public var externalNumber: String
    /// ``externalNumber`` in E.164, when it normalised.
    public var externalE164: String?

    public init(
        leg: LegKey, call: CallKey, kind: Kind, userExtension: String, userName: String, timekeeperID: String?,
        enteredCode: String, code: String?, clientID: String?, matterID: String?, rule: MatchRule, unverified: Bool,
        blocked: Bool, externalNumber: String, externalE164: String?
    ) {
        self.leg = leg
        self.call = call
        self.kind = kind
        self.userExtension = userExtension
        self.userName = userName
        self.timekeeperID = timekeeperID
        self.enteredCode = enteredCode
        self.code = code
        self.clientID = clientID
        self.matterID = matterID
        self.rule = rule
        self.unverified = unverified
        self.blocked = blocked
        self.externalNumber = externalNumber
        self.externalE164 = externalE164
    }
}
