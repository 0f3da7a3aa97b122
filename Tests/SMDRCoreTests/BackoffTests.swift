import SMDRCore
import Testing

struct BackoffTests {
    @Test func backoffGrowsToTheCapAndJitterOnlyShortens() {
        let backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(1), jitter: 0.5)
        #expect(backoff.delay(afterFailures: 0, unit: 0) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 3, unit: 0) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 4, unit: 0) == .seconds(1))
        #expect(backoff.delay(afterFailures: 60, unit: 0) == .seconds(1))
        #expect(backoff.delay(afterFailures: 4, unit: 1) == .milliseconds(500))
    }

    @Test func withoutAUnitTheJitterIsRandomNeverSilentlyOff() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(1), jitter: 0.5)
        let delays = (0..<64).map { _ in backoff.delay(afterFailures: 0) }
        #expect(delays.allSatisfy { $0 > .milliseconds(500) && $0 <= .seconds(1) })
        #expect(Set(delays).count > 1, "64 draws of a jittered delay are not all alike")
        #expect(Backoff(initial: .seconds(1), maximum: .seconds(1)).delay(afterFailures: 0) == .seconds(1))
    }
}
