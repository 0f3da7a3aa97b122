public import SMDRCore
public import SMDRJournal
import Synchronization

/// The sites the listener serves right now: who may connect, and each site's journal.
///
/// `smdr serve` reads its site list again while it runs, so a site added or changed applies
/// without a restart: ``update(sites:journals:)`` swaps the allow-list and journals at once.
/// A peer is accepted only for a site that has a journal; a site removed from the list refuses
/// new connections while its open ones finish.
public final class SiteDirectory: Sendable {
    private struct Entries: Sendable {
        var policy: PeerPolicy
        var journals: [String: Journal]
    }

    private let entries: Mutex<Entries>

    /// - Throws: ``ListenerConfigurationError`` as ``PeerPolicy/init(sites:)`` does, or
    ///   `.missingJournal` for a site without a journal.
    public init(sites: [Site] = [], journals: [String: Journal] = [:]) throws {
        self.entries = Mutex(try Self.entries(sites: sites, journals: journals))
    }

    /// Replaces the allow-list and journals.
    ///
    /// - Throws: as ``init(sites:journals:)``; the directory is then unchanged.
    public func update(sites: [Site], journals: [String: Journal]) throws {
        let entries = try Self.entries(sites: sites, journals: journals)
        self.entries.withLock { $0 = entries }
    }

    /// The site allowed to connect from `address`, and its journal.
    public func site(for address: IPAddress) -> (name: String, journal: Journal)? {
        self.entries.withLock { entries in
            guard let name = entries.policy.site(for: address), let journal = entries.journals[name] else { return nil }
            return (name, journal)
        }
    }

    /// The journal of the site named `name`, if it is served now.
    public func journal(for name: String) -> Journal? {
        self.entries.withLock { $0.journals[name] }
    }

    /// Every journal served now.
    var journals: [Journal] { self.entries.withLock { Array($0.journals.values) } }

    /// Whether no site is served (every connection is refused).
    public var isEmpty: Bool { self.entries.withLock { $0.journals.isEmpty } }

    private static func entries(sites: [Site], journals: [String: Journal]) throws -> Entries {
        for site in sites where journals[site.name] == nil {
            throw ListenerConfigurationError.missingJournal(site.name)
        }
        return Entries(policy: try PeerPolicy(sites: sites), journals: journals)
    }
}
