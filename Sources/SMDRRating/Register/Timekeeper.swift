/// A person whose time is billed (`timekeepers`), found on a leg by the site's user name first,
/// then the extension.
public struct Timekeeper: Hashable, Sendable {
    public var id: String
    public var name: String
    /// LEDES classification (`PT` partner, `AS` associate, `PL` paralegal, …).
    public var classification: String
    /// Site name; `nil`: any site.
    public var site: String?
    public var `extension`: String?
    public var userName: String?

    public init(id: String, name: String, classification: String = "", site: String? = nil, extension: String? = nil, userName: String? = nil) {
        self.id = id
        self.name = name
        self.classification = classification
        self.site = site
        self.extension = `extension`
        self.userName = userName
    }
}
