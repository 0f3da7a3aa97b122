import Synchronization

/// Lets at most a fixed number of statement PDFs print at once: each print is a Chromium of a few
/// hundred MB, so a burst of clicks (or a script) must not start fifty. A print that finds every
/// place taken is refused at once (the page says to try again) rather than queued, so waiting
/// requests cannot pile up either.
package final class PrintGate: Sendable {
    /// Prints at once, at most.
    package let limit: Int
    private let running = Mutex(0)

    package init(limit: Int) {
        precondition(limit > 0, "a print gate needs at least one place")
        self.limit = limit
    }

    /// Runs `body` in a place of its own; `nil` (and `body` not run) when every place is taken.
    package func withPlace<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        let entered = self.running.withLock { running in
            guard running < self.limit else { return false }
            running += 1
            return true
        }
        guard entered else { return nil }
        defer { self.running.withLock { $0 -= 1 } }
        return try await body()
    }
}
