import SMDRCore

/// One PBX (or a group of PBXs billed together) whose lines go to one journal.
public struct Site: Hashable, Sendable {
    /// The site's name, valid by ``SiteName`` (`Main Office`, `Zürich`); its journal directory
    /// is derived from it by ``SiteName/journalDirectoryName(for:)``.
    public var name: String
    /// Peer addresses allowed to connect in listen mode. Empty: the site is reached only
    /// through ``ConnectTarget``s.
    public var allowedPeers: [IPAddressRange]

    public init(name: String, allowedPeers: [IPAddressRange] = []) {
        self.name = name
        self.allowedPeers = allowedPeers
    }
}

/// Maps a connecting peer's address to its site: the allow-list of listen mode.
///
/// The most specific block wins (longest prefix), so a site may own `10.1.2.3` inside another
/// site's `10.0.0.0/8`. Two sites listing the same block is a configuration error.
public struct PeerPolicy: Sendable {
    private struct Rule: Sendable {
        var range: IPAddressRange
        var site: String
    }

    private let rules: [Rule]

    /// - Throws: ``ListenerConfigurationError`` for an invalid site name, a duplicate site, or a
    ///   block listed by two sites.
    public init(sites: [Site]) throws {
        var names = Set<String>()
        var owners: [IPAddressRange: String] = [:]
        var rules: [Rule] = []
        for site in sites {
            if let problem = SiteName.problem(with: site.name) { throw ListenerConfigurationError(problem) }
            guard names.insert(site.name).inserted else { throw ListenerConfigurationError.duplicateSite(site.name) }
            for range in site.allowedPeers {
                if let owner = owners[range], owner != site.name {
                    throw ListenerConfigurationError.overlappingPeers(range.description, owner, site.name)
                }
                owners[range] = site.name
                rules.append(Rule(range: range, site: site.name))
            }
        }
        // Longest prefix first, so the first match is the most specific one.
        self.rules = rules.sorted { $0.range.prefixLength > $1.range.prefixLength }
    }

    /// The site that `address` belongs to, or `nil` if the peer must be refused.
    public func site(for address: IPAddress) -> String? {
        self.rules.first { $0.range.contains(address) }?.site
    }
}
