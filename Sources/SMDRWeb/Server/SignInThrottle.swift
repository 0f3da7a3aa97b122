/// Counts failed sign-ins per key (an address, a user name) within a window and refuses more
/// than the allowed number until the oldest failure has left the window. In memory: a restart
/// forgets, which a few attempts more cannot exploit.
///
/// Admission and counting are one step (``begin(_:)``): an attempt is counted as a failure
/// *before* its password is checked and withdrawn only if it succeeds (``end(_:failed:resetting:)``),
/// so requests sent in parallel cannot all pass the check while the first quarter-second of
/// bcrypt runs. The checks running at once are bounded too (``concurrentChecks``): each holds
/// a thread of the blocking pool for a quarter of a second.
package actor SignInThrottle {
    private let attempts: Int
    private let window: Duration
    private let clock = ContinuousClock()
    private var failures: [String: [ContinuousClock.Instant]] = [:]
    private var checking = 0
    /// Keys remembered at most; beyond it the stalest are forgotten (a flood of addresses must
    /// not grow memory without bound).
    package static let maximumKeys = 100_000
    /// Password checks (bcrypt) at once, at most; one more is refused as busy, not queued, so
    /// a burst cannot pile up requests (like ``PrintGate``).
    package static let concurrentChecks = 4

    package init(attempts: Int, window: Duration) {
        self.attempts = attempts
        self.window = window
    }

    /// One sign-in attempt let through, counted as a failure of each of its keys until it ends.
    package struct Attempt: Sendable {
        fileprivate let keys: [String]
        fileprivate let instant: ContinuousClock.Instant
    }

    /// Whether an attempt may go on.
    package enum Admission: Sendable {
        /// Check the password, then ``SignInThrottle/end(_:failed:resetting:)``.
        case allowed(Attempt)
        /// A key has had too many failures: wait this long.
        case throttled(retryAfter: Duration)
        /// Every place to check a password is taken: try again in a moment.
        case busy
    }

    /// Lets an attempt under `keys` go on (recording it as a failure for now), or says why not.
    package func begin(_ keys: [String]) -> Admission {
        let now = self.clock.now
        var wait: Duration?
        for key in keys {
            let recent = self.recent(key, now: now)
            if recent.count >= self.attempts, let oldest = recent.first {
                wait = max(wait ?? .zero, oldest.advanced(by: self.window) - now)
            }
        }
        if let wait { return .throttled(retryAfter: wait) }
        guard self.checking < Self.concurrentChecks else { return .busy }
        self.checking += 1
        if self.failures.count >= Self.maximumKeys { self.forgetStale(now: now) }
        for key in keys { self.failures[key, default: []].append(now) }
        return .allowed(Attempt(keys: keys, instant: now))
    }

    /// Ends an attempt ``begin(_:)`` allowed (exactly once). A failure stays counted; otherwise
    /// (a success, or an error before the password was judged) the count is withdrawn, and every
    /// failure of `resetting` forgotten (after a success, the name's: its owner is back).
    package func end(_ attempt: Attempt, failed: Bool, resetting: [String] = []) {
        self.checking -= 1
        guard !failed else { return }
        for key in attempt.keys {
            guard var list = self.failures[key], let index = list.lastIndex(of: attempt.instant) else { continue }
            list.remove(at: index)
            self.failures[key] = list.isEmpty ? nil : list
        }
        for key in resetting { self.failures[key] = nil }
    }

    private func recent(_ key: String, now: ContinuousClock.Instant) -> [ContinuousClock.Instant] {
        guard let list = self.failures[key] else { return [] }
        let kept = list.filter { now - $0 < self.window }
        self.failures[key] = kept.isEmpty ? nil : kept
        return kept
    }

    private func forgetStale(now: ContinuousClock.Instant) {
        self.failures = self.failures.filter { _, list in list.contains { now - $0 < self.window } }
        if self.failures.count >= Self.maximumKeys {
            let ordered = self.failures.sorted { ($0.value.last ?? now) < ($1.value.last ?? now) }
            for (key, _) in ordered.prefix(self.failures.count - Self.maximumKeys / 2) { self.failures[key] = nil }
        }
    }
}
