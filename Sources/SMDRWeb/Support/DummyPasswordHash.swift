import Synchronization

/// A bcrypt hash of a random secret nobody knows, at the app's cost (`SMDR_WEB_BCRYPT_COST`):
/// a sign-in with an unknown name is checked against it, so that it takes as long as one with
/// a known name and the answer's time does not tell which names exist. Made once, on the
/// blocking pool: ``WebServer`` makes it before it listens; otherwise the first use does.
package final class DummyPasswordHash: Sendable {
    private let cost: Int
    private let made = Mutex<String?>(nil)

    package init(cost: Int) { self.cost = cost }

    /// The hash (two first uses at once may both make one: each is as good).
    package func value() async throws -> String {
        if let hash = self.made.withLock({ $0 }) { return hash }
        let hash = try await PasswordHasher.hash(WebSecret.token(), cost: self.cost)
        return self.made.withLock { made in
            if let earlier = made { return earlier }
            made = hash
            return hash
        }
    }
}
