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

extension PeerPolicy {
    /// An allowed network that ``admissible(_:)`` left out.
    public struct SkippedNetwork: Hashable, Sendable {
        public var site: String
        public var network: String
        /// The site that listed the same block first; `nil` when the text is not a network.
        public var owner: String?

        public init(site: String, network: String, owner: String?) {
            self.site = site
            self.network = network
            self.owner = owner
        }
    }

    /// `sites` with only the networks a policy can take: text that is an address or CIDR block,
    /// and a block listed by two sites kept for the first only. A stored site list may hold
    /// either (written before `smdr site add` checked them), and one site's mistake must not
    /// refuse every site.
    public static func admissible(_ sites: [Site]) -> (sites: [Site], skipped: [SkippedNetwork]) {
        var owners: [IPAddressRange: String] = [:]
        var skipped: [SkippedNetwork] = []
        let admitted = sites.map { site in
            var admitted = site
            admitted.allowedPeers = site.allowedPeers.filter { text in
                guard let range = IPAddressRange(text) else {
                    skipped.append(SkippedNetwork(site: site.name, network: text, owner: nil))
                    return false
                }
                if let owner = owners[range], owner != site.name {
                    skipped.append(SkippedNetwork(site: site.name, network: text, owner: owner))
                    return false
                }
                owners[range] = site.name
                return true
            }
            return admitted
        }
        return (admitted, skipped)
    }
}
