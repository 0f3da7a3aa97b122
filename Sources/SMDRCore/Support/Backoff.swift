/// Capped exponential backoff, optionally with jitter: the one retry schedule of the project
/// (reconnecting in connect mode, retrying a journal load, reopening a failed site).
///
/// The n-th consecutive failure waits `min(maximum, initial × 2ⁿ)`, reduced by a random fraction
/// of at most ``jitter`` (so delays never exceed ``maximum`` and retries from many processes
/// spread out). After a success the caller starts counting failures from zero again.
public struct Backoff: Hashable, Sendable {
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var maximum: Duration
    /// Fraction 0...1 of each delay that is randomised away; `0` for a fixed schedule.
    public var jitter: Double

    public init(initial: Duration, maximum: Duration, jitter: Double = 0) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before attempt `failures + 1`; `unit` in 0..<1 picks the jitter (random unless
    /// given, so a jittered backoff never loses its jitter by omission; ignored without jitter).
    public func delay(afterFailures failures: Int, unit: Double = Double.random(in: 0..<1)) -> Duration {
        var delay = self.initial
        var step = 0
        while step < failures, delay < self.maximum {
            delay = delay * 2
            step += 1
        }
        if delay > self.maximum { delay = self.maximum }
        let jitter = min(max(self.jitter, 0), 1)
        guard jitter > 0 else { return delay }
        return delay * (1 - jitter * min(max(unit, 0), 1))
    }
}
