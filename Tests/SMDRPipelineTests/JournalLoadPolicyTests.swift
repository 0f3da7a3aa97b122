import SMDRCore
import Testing

@testable import SMDRPipeline

/// The journal loader's policy, one event at a time, on a clock that moves only when told.
struct JournalLoadPolicyTests {
    typealias Policy = JournalLoadPolicy<TestClock>
    typealias Position = Policy.Position
    typealias Retry = Policy.Retry

    let clock = TestClock()

    func makePolicy() -> Policy {
        Policy(
            configuration: .init(
                batchLines: 100,
                retry: Backoff(initial: .milliseconds(500), maximum: .seconds(4)),
                shutdownGracePeriod: .seconds(10),
                durabilityInterval: .seconds(1),
                trimInterval: .seconds(10)
            ),
            clock: self.clock
        )
    }

    func at(_ delay: Duration) -> TestClock.Instant { self.clock.now.advanced(by: delay) }

    func at(_ offset: Int64) -> Position { Position(offset: offset, stored: offset) }

    /// A policy that found checkpoint 100 in a journal from 0 to 1000 and reads from there.
    func started() -> Policy {
        var policy = self.makePolicy()
        #expect(policy.started() == .readCheckpoint())
        #expect(policy.checkpointRead(100, journalStart: 0, journalEnd: 1000) == .read(self.at(100), readAhead: false))
        return policy
    }

    @Test func loadsEachBatchWhileReadingTheNextAhead() {
        var policy = self.started()
        #expect(policy.batchRead(lines: 10, nextOffset: 200) == .load(readAhead: self.at(200)))
        #expect(policy.batchCommitted() == .read(self.at(200), readAhead: true))
        #expect(policy.batchRead(lines: 5, nextOffset: 250) == .load(readAhead: self.at(250)))
        #expect(policy.batchCommitted() == .read(self.at(250), readAhead: true))
        // Caught up: what was committed is made durable and released before waiting.
        #expect(policy.batchRead(lines: 0, nextOffset: 250) == .flush)
        #expect(policy.flushed(durable: 250) == .release(upTo: 250))
        #expect(policy.released() == .waitForEntries(after: 250))
        #expect(policy.entriesAvailable() == .read(self.at(250), readAhead: false))
    }

    @Test func caughtUpWithNothingCommittedWaitsForEntries() {
        var policy = self.started()
        #expect(policy.batchRead(lines: 0, nextOffset: 100) == .waitForEntries(after: 100))
        #expect(policy.entriesAvailable() == .read(self.at(100), readAhead: false))
    }

    @Test func flushesOnlyAfterTheDurabilityIntervalAndReleasesOnlyWhatIsDurable() {
        var policy = self.started()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        #expect(policy.batchCommitted() == .read(self.at(200), readAhead: true), "within the interval: no flush")
        self.clock.advance(by: .seconds(1))
        _ = policy.batchRead(lines: 10, nextOffset: 300)
        #expect(policy.batchCommitted() == .flush)
        #expect(policy.flushed(durable: 300) == .release(upTo: 300))
        #expect(policy.released() == .read(self.at(300), readAhead: true))
        _ = policy.batchRead(lines: 10, nextOffset: 400)
        #expect(policy.batchCommitted() == .read(self.at(400), readAhead: true), "the interval starts again at the flush")
    }

    @Test func aDurableCheckpointBehindResumesFromTheStoredOneAndReleasesNothing() {
        var policy = self.started()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        _ = policy.batchCommitted()
        self.clock.advance(by: .seconds(1))
        _ = policy.batchRead(lines: 10, nextOffset: 300)
        #expect(policy.batchCommitted() == .flush)
        // PostgreSQL lost the asynchronous commits past 200.
        #expect(policy.flushed(durable: 200) == .readCheckpoint(note: .checkpointMoved))
        #expect(policy.checkpointRead(200, journalStart: 0, journalEnd: 1000) == .read(self.at(200), readAhead: false))
        #expect(policy.batchRead(lines: 0, nextOffset: 200) == .waitForEntries(after: 200), "nothing left to flush or release")
    }

    @Test func theFirstCheckpointConflictResumesAtOnceARepeatedOneBacksOff() {
        var policy = self.started()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        #expect(policy.failed(.checkpointConflict) == .readCheckpoint(note: .checkpointMoved))
        #expect(policy.checkpointRead(150, journalStart: 0, journalEnd: 1000) == .read(self.at(150), readAhead: false))
        _ = policy.batchRead(lines: 10, nextOffset: 250)
        #expect(
            policy.failed(.checkpointConflict)
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .checkpointKeepsMoving, delay: .milliseconds(500), offset: 150))
        )
        self.clock.advance(by: .milliseconds(500))
        #expect(policy.sleepEnded() == .readCheckpoint())
        // A committed batch starts the count again.
        _ = policy.checkpointRead(150, journalStart: 0, journalEnd: 1000)
        _ = policy.batchRead(lines: 10, nextOffset: 250)
        #expect(policy.batchCommitted() == .read(self.at(250), readAhead: true))
        _ = policy.batchRead(lines: 10, nextOffset: 300)
        #expect(policy.failed(.checkpointConflict) == .readCheckpoint(note: .checkpointMoved))
    }

    @Test func databaseFailuresBackOffDoublingToTheMaximumAndStartOverAfterASuccess() {
        var policy = self.started()
        var delays: [Duration] = []
        for _ in 0..<5 {
            _ = policy.batchRead(lines: 10, nextOffset: 200)
            guard case .sleep(let until, let retry) = policy.failed(.database) else {
                Issue.record("a database failure sleeps")
                return
            }
            #expect(retry.reason == .databaseFailed && retry.offset == 100)
            #expect(until == self.at(retry.delay))
            delays.append(retry.delay)
            self.clock.advance(by: retry.delay)
            #expect(policy.sleepEnded() == .readCheckpoint(), "resumes from the stored checkpoint")
            #expect(policy.checkpointRead(100, journalStart: 0, journalEnd: 1000) == .read(self.at(100), readAhead: false))
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4)])
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        #expect(policy.batchCommitted() == .flush)
        #expect(policy.flushed(durable: 200) == .release(upTo: 200))
        #expect(policy.released() == .read(self.at(200), readAhead: true))
        _ = policy.batchRead(lines: 10, nextOffset: 300)
        #expect(
            policy.failed(.database)
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .databaseFailed, delay: .milliseconds(500), offset: 200))
        )
    }

    @Test func journalFailuresRetryTheReadWithoutReadingTheCheckpoint() {
        var policy = self.started()
        #expect(
            policy.failed(.read)
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .readFailed, delay: .milliseconds(500), offset: 100))
        )
        self.clock.advance(by: .milliseconds(500))
        #expect(policy.sleepEnded() == .read(self.at(100), readAhead: false))
        #expect(
            policy.failed(.read) == .sleep(until: self.at(.seconds(1)), retry: Retry(reason: .readFailed, delay: .seconds(1), offset: 100))
        )
        self.clock.advance(by: .seconds(1))
        _ = policy.sleepEnded()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        #expect(policy.batchCommitted() == .flush)
        #expect(policy.flushed(durable: 200) == .release(upTo: 200))
        // Releasing segments failed: the journal's problem; the lines are loaded, so read on.
        #expect(
            policy.failed(.journal)
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .journalFailed, delay: .milliseconds(500), offset: 200))
        )
        self.clock.advance(by: .milliseconds(500))
        #expect(policy.sleepEnded() == .read(self.at(200), readAhead: false))
    }

    @Test func aFailedReadKeepsWhatWasCommittedForTheNextFlush() {
        var policy = self.started()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        #expect(policy.batchCommitted() == .read(self.at(200), readAhead: true), "within the interval: no flush")
        #expect(
            policy.failed(.read)
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .readFailed, delay: .milliseconds(500), offset: 200))
        )
        self.clock.advance(by: .milliseconds(500))
        #expect(policy.sleepEnded() == .read(self.at(200), readAhead: false))
        // Caught up: the batch committed before the failed read is made durable and released.
        #expect(policy.batchRead(lines: 0, nextOffset: 200) == .flush)
        #expect(policy.flushed(durable: 200) == .release(upTo: 200))
        #expect(policy.released() == .waitForEntries(after: 200))
    }

    @Test func gracefulShutdownLoadsTheRestAndStopsWhenCaughtUp() {
        var policy = self.started()
        policy.shutdownRequested()
        #expect(policy.batchRead(lines: 10, nextOffset: 200) == .load(readAhead: self.at(200)))
        #expect(policy.batchCommitted() == .read(self.at(200), readAhead: true))
        #expect(policy.batchRead(lines: 0, nextOffset: 200) == .flush)
        #expect(policy.flushed(durable: 200) == .release(upTo: 200))
        #expect(policy.released() == .stop(.caughtUp(offset: 200)))
    }

    @Test func shutdownWhileWaitingStopsOnceTheJournalIsRead() {
        var policy = self.started()
        #expect(policy.batchRead(lines: 0, nextOffset: 100) == .waitForEntries(after: 100))
        policy.shutdownRequested()
        #expect(policy.entriesAvailable() == .read(self.at(100), readAhead: false))
        #expect(policy.batchRead(lines: 0, nextOffset: 100) == .stop(.caughtUp(offset: 100)))
    }

    @Test func theShutdownDeadlinePassingDuringAnOutageStopsAndTheJournalKeepsTheLines() {
        var policy = self.started()
        policy.shutdownRequested()  // deadline in 10 s
        var action = policy.batchRead(lines: 10, nextOffset: 200)
        var sleeps: [Duration] = []
        while case .load = action {
            action = policy.failed(.database)
            guard case .sleep(_, let retry) = action else { break }
            sleeps.append(retry.delay)
            self.clock.advance(by: retry.delay)
            #expect(policy.sleepEnded() == .readCheckpoint())
            #expect(policy.checkpointRead(100, journalStart: 0, journalEnd: 1000) == .read(self.at(100), readAhead: false))
            action = policy.batchRead(lines: 10, nextOffset: 200)
        }
        // 0.5 + 1 + 2 + 4 s slept; 4 s more would pass the deadline.
        #expect(sleeps == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(action == .stop(.retryPastDeadline(Retry(reason: .databaseFailed, delay: .seconds(4), offset: 100))))
    }

    @Test func theShutdownDeadlinePassingWithLinesLeftStopsAfterALastFlush() {
        var policy = self.started()
        _ = policy.batchRead(lines: 10, nextOffset: 200)
        _ = policy.batchCommitted()
        policy.shutdownRequested()
        self.clock.advance(by: .seconds(10))
        #expect(policy.batchRead(lines: 10, nextOffset: 300) == .flush)
        #expect(policy.flushed(durable: 200) == .release(upTo: 200))
        #expect(policy.released() == .stop(.deadlinePassed(offset: 200)))
        // The last flush is best effort.
        var failing = self.started()
        _ = failing.batchRead(lines: 10, nextOffset: 200)
        _ = failing.batchCommitted()
        failing.shutdownRequested()
        self.clock.advance(by: .seconds(10))
        #expect(failing.batchRead(lines: 10, nextOffset: 300) == .flush)
        #expect(failing.failed(.database) == .stop(.deadlinePassed(offset: 200)))
    }

    @Test func aCheckpointOutsideTheJournalStartsFromTheJournalStartExpectingTheStoredValue() {
        var policy = self.makePolicy()
        _ = policy.started()
        #expect(
            policy.checkpointRead(5000, journalStart: 1000, journalEnd: 3000)
                == .read(
                    Position(offset: 1000, stored: 5000), readAhead: false,
                    note: .checkpointOutsideJournal(checkpoint: 5000, start: 1000, end: 3000)
                )
        )
        #expect(policy.batchRead(lines: 10, nextOffset: 1200) == .load(readAhead: self.at(1200)))

        var fresh = self.makePolicy()
        _ = fresh.started()
        #expect(fresh.checkpointRead(nil, journalStart: 1000, journalEnd: 3000) == .read(Position(offset: 1000, stored: nil), readAhead: false))
    }

    @Test func anUnreadableCheckpointIsRetriedUntilShutdown() {
        var policy = self.makePolicy()
        _ = policy.started()
        #expect(
            policy.checkpointReadFailed()
                == .sleep(until: self.at(.milliseconds(500)), retry: Retry(reason: .checkpointUnavailable, delay: .milliseconds(500), offset: 0))
        )
        self.clock.advance(by: .milliseconds(500))
        #expect(policy.sleepEnded() == .readCheckpoint())
        #expect(
            policy.checkpointReadFailed()
                == .sleep(until: self.at(.seconds(1)), retry: Retry(reason: .checkpointUnavailable, delay: .seconds(1), offset: 0))
        )
        self.clock.advance(by: .seconds(1))
        _ = policy.sleepEnded()
        policy.shutdownRequested()
        #expect(policy.checkpointReadFailed() == .stop(.checkpointUnavailable))
    }

    @Test func aCaughtUpLoaderTrimsTheHeapAfterABurstAtMostEveryTrimInterval() {
        var policy = self.started()
        self.clock.advance(by: .seconds(10))
        _ = policy.batchRead(lines: 100, nextOffset: 200)
        #expect(policy.batchCommitted() == .flush)
        _ = policy.flushed(durable: 200)
        _ = policy.released()
        #expect(policy.batchRead(lines: 0, nextOffset: 200) == .trimHeap)
        #expect(policy.heapTrimmed() == .waitForEntries(after: 200))
        _ = policy.entriesAvailable()
        _ = policy.batchRead(lines: 100, nextOffset: 300)
        _ = policy.batchCommitted()
        #expect(policy.batchRead(lines: 0, nextOffset: 300) == .flush)
        _ = policy.flushed(durable: 300)
        #expect(policy.released() == .waitForEntries(after: 300), "a trim 0 s ago: not again yet")
    }
}
