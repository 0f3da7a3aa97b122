public import SMDRCore

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

    /// - Throws: ``ListenerConfigurationError`` for an invalid site name, a duplicate site, an
    ///   allowed network that is not CIDR text, or a block listed by two sites.
    public init(sites: [Site]) throws {
        var names = Set<String>()
        var owners: [IPAddressRange: String] = [:]
        var rules: [Rule] = []
        for site in sites {
            if let problem = SiteName.problem(with: site.name) { throw ListenerConfigurationError(problem) }
            guard names.insert(site.name).inserted else { throw ListenerConfigurationError.duplicateSite(site.name) }
            for text in site.allowedPeers {
                guard let range = IPAddressRange(text) else { throw ListenerConfigurationError.invalidNetwork(text, site.name) }
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
