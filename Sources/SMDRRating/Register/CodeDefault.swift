/// A default code (`defaults`) for a site's extension, user name or DDI: the conference room's
/// hard-coded code.
public struct CodeDefault: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The internal party's extension number (`301`).
        case `extension`
        /// The internal party's user name (`Dana Dee`).
        case user
        /// The number dialled in to the site (an inbound leg's Called Number).
        case ddi
    }

    /// Site name.
    public var site: String
    public var kind: Kind
    public var value: String
    public var code: String

    public init(site: String, kind: Kind, value: String, code: String) {
        self.site = site
        self.kind = kind
        self.value = value
        self.code = code
    }
}
