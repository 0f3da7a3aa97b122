/// Counts failed sign-ins per key (an address, a user name) within a window and refuses more
/// than the allowed number until the oldest failure has left the window. In memory: a restart
/// forgets, which a few attempts more cannot exploit.
package actor SignInThrottle {
    private let attempts: Int
    private let window: Duration
    private let clock = ContinuousClock()
    private var failures: [String: [ContinuousClock.Instant]] = [:]
    /// Keys remembered at most; beyond it the stalest are forgotten (a flood of addresses must
    /// not grow memory without bound).
    package static let maximumKeys = 100_000

    package init(attempts: Int, window: Duration) {
        self.attempts = attempts
        self.window = window
    }

    /// How long until one of `keys` may try again; `nil` when all may try now.
    package func retryAfter(_ keys: [String]) -> Duration? {
        let now = self.clock.now
        var wait: Duration?
        for key in keys {
            let recent = self.recent(key, now: now)
            if recent.count >= self.attempts, let oldest = recent.first {
                let remaining = oldest.advanced(by: self.window) - now
                wait = max(wait ?? .zero, remaining)
            }
        }
        return wait
    }

    package func recordFailure(_ keys: [String]) {
        let now = self.clock.now
        if self.failures.count >= Self.maximumKeys { self.forgetStale(now: now) }
        for key in keys { self.failures[key, default: []].append(now) }
    }

    /// After a successful sign-in: the name's failures are forgotten (the address's are not).
    package func reset(_ key: String) { self.failures[key] = nil }

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
