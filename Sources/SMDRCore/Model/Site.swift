/// A PBX (or a group of PBXs billed together) whose lines go to one journal: a row of
/// `smdr.site`, with everything an operator sets.
///
/// The one site type: `smdr site` edits it, the ingest store keys rows by its ``id``, the
/// listener admits peers by its ``allowedPeers``, and `smdr serve` caches the list as JSON.
public struct Site: Hashable, Sendable, Codable {
    /// The name `smdr ingest` uses when `--site` is not given.
    public static let defaultName = "default"

    /// The database key; `nil` for a site not stored yet.
    public var id: Int?
    /// The site's name, valid by ``SiteName`` (`Main Office`, `Zürich`); its journal directory
    /// is derived from it by ``SiteName/journalDirectoryName(for:)``.
    public var name: String
    /// IANA time zone of the PBX clock (`Europe/London`).
    public var timeZone: String
    /// Networks (CIDR text, `10.1.0.0/16`, `192.0.2.7/32`, `2001:db8::/32`) allowed to connect
    /// for this site in listen mode. Empty: the site is reached only through connect targets.
    public var allowedPeers: [String]
    public var countryCode: String
    public var nationalPrefix: String
    public var internationalPrefix: String
    public var trunkAccessCode: String

    public init(
        id: Int? = nil,
        name: String,
        timeZone: String,
        allowedPeers: [String] = [],
        countryCode: String = "",
        nationalPrefix: String = "0",
        internationalPrefix: String = "00",
        trunkAccessCode: String = ""
    ) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.allowedPeers = allowedPeers
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefix = internationalPrefix
        self.trunkAccessCode = trunkAccessCode
    }
}
