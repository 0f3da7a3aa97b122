public import SMDRCore

/// A billing code of the register (`codes`): an exact account code (`4100`) or an IP Office
/// pattern (`41??`, `7*`), the client and matter it bills, and when it may be used.
public struct AccountCode: Hashable, Sendable {
    /// The code or pattern as registered; `?` is one character, `*` any rest.
    public var code: String
    public var clientID: String
    public var clientName: String
    /// `nil`: the code bills the client without a matter.
    public var matterID: String?
    public var matterName: String?
    public var description: String
    /// An inactive code is kept (history refers to it) but no longer matches.
    public var active: Bool
    /// First local date the code is valid (inclusive); `nil`: open.
    public var validFrom: LocalDate?
    /// Last local date the code is valid (inclusive); `nil`: open.
    public var validTo: LocalDate?

    public init(
        code: String, clientID: String, clientName: String, matterID: String? = nil, matterName: String? = nil,
        description: String = "", active: Bool = true, validFrom: LocalDate? = nil, validTo: LocalDate? = nil
    ) {
        self.code = code
        self.clientID = clientID
        self.clientName = clientName
        self.matterID = matterID
        self.matterName = matterName
        self.description = description
        self.active = active
        self.validFrom = validFrom
        self.validTo = validTo
    }

    /// Whether the code contains a `?` or `*` wildcard.
    public var isPattern: Bool { self.code.contains(where: { $0 == "?" || $0 == "*" }) }

    /// Active and within its validity dates on `date`.
    public func isValid(on date: LocalDate) -> Bool {
        self.active && (self.validFrom.map { $0 <= date } ?? true) && (self.validTo.map { date <= $0 } ?? true)
    }
}
