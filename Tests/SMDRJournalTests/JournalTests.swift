import Logging
import NIOCore
import NIOPosix
import SMDRCore
import SMDRTestSupport
import Synchronization
import Testing

@testable import SMDRJournal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(1)))
struct JournalTests {
    private func open(
        _ directory: String, segmentSize: Int = 64 << 20, maximumBytes: Int64 = 1 << 30,
        flushInterval: Duration = .milliseconds(5), flushLines: Int = 1000, releaseMode: Journal.Configuration.ReleaseMode = .delete,
        observability: any JournalObservabilityDelegate = NoOpJournalObservability()
    ) async throws -> Journal {
        var configuration = Journal.Configuration.forTests
        configuration.segmentSize = segmentSize
        configuration.maximumBytes = maximumBytes
        configuration.flushInterval = flushInterval
        configuration.flushLines = flushLines
        configuration.releaseMode = releaseMode
        return try await Journal.open(
            directory: directory + "/journal/main", site: "main", configuration: configuration,
            logger: testLogger(), observability: observability
        )
    }

    private func segmentFiles(_ directory: String) throws -> [String] {
        try POSIX.listDirectory(directory + "/journal/main").filter { $0.hasSuffix(".smdrj") }.sorted()
    }

    @Test func appendsAndReadsBackWithOffsets() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory)
            let locations = try await withRunningJournal(journal) { journal in
                var locations: [JournalEntryLocation] = []
                for number in 0..<3 {
                    locations.append(try await journal.append(line(smdrLine("A", number)), receivedAt: .init(microsecondsSince1970: Int64(number))))
                }
                locations.append(try await journal.append(line("cut"), isTruncated: true))
                return locations
            }
            #expect(locations[0].offset == 0)
            for (previous, next) in zip(locations, locations.dropFirst()) { #expect(previous.nextOffset == next.offset) }
            #expect(journal.endOffset == locations.last!.nextOffset)
            let entries = try await readAll(journal)
            #expect(entries.map(\.payload) == (0..<3).map { line(smdrLine("A", $0)) } + [line("cut")])
            #expect(entries.map(\.isTruncated) == [false, false, false, true])
            #expect(entries.prefix(3).map(\.receivedAt.microsecondsSince1970) == [0, 1, 2])
            #expect(entries.map(\.offset) == locations.map(\.offset))
            #expect(entries.map(\.nextOffset) == locations.map(\.nextOffset))
            // Reading from the middle, and from the end.
            let tail = try await journal.read(from: locations[2].offset)
            #expect(tail.entries.map(\.payload) == [line(smdrLine("A", 2)), line("cut")])
            #expect(try await journal.read(from: journal.endOffset).entries.isEmpty)
            await #expect(throws: JournalError.self) { try await journal.read(from: journal.endOffset + 1) }
            // Appending after the writer stopped fails instead of hanging.
            await #expect(throws: JournalError.self) { try await journal.append(line("late")) }
        }
    }

    @Test func offsetsContinueAcrossSegmentsAndReopening() async throws {
        try await withTemporaryDirectory { directory in
            let lines = (0..<200).map { line(smdrLine("S", $0)) }
            do {
                let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20)
                try await withRunningJournal(journal) { journal in
                    for index in 0..<100 { _ = try await journal.enqueue(lines[index]) }
                    try await journal.waitUntilDurable(upTo: journal.state.withLock { $0.assignedEnd })
                }
            }
            #expect(try self.segmentFiles(directory).count > 2)
            let reopened = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20)
            try await withRunningJournal(reopened) { journal in
                for index in 100..<200 { try await journal.append(lines[index]) }
            }
            let entries = try await readAll(reopened, maximumCount: 7)
            #expect(entries.map(\.payload) == lines)
            for (previous, next) in zip(entries, entries.dropFirst()) { #expect(previous.nextOffset == next.offset) }
            let segments = try self.segmentFiles(directory)
            #expect(segments.first == "00000000000000000000.smdrj")
            for name in segments {
                let base = try #require(JournalFormat.base(ofSegmentNamed: name))
                #expect(entries.contains { $0.offset == base } || base == reopened.endOffset, "segment \(name) starts at an entry")
            }
        }
    }

    @Test func groupCommitBatchesConcurrentAppendsIntoFewSyncs() async throws {
        try await withTemporaryDirectory { directory in
            let observability = RecordingObservability()
            let journal = try await self.open(directory, flushInterval: .milliseconds(200), observability: observability)
            let started = ContinuousClock.now
            try await withRunningJournal(journal) { journal in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for number in 0..<300 { group.addTask { try await journal.append(line(smdrLine("G", number))) } }
                    try await group.waitForAll()
                }
            }
            #expect(observability.commits.reduce(0, +) == 300)
            #expect(observability.commits.count <= 3, "300 concurrent appends within one interval: \(observability.commits)")
            #expect(ContinuousClock.now - started >= .milliseconds(150), "the batch waited for the flush interval")
        }
    }

    @Test func aFullBatchIsCommittedWithoutWaitingForTheInterval() async throws {
        try await withTemporaryDirectory { directory in
            let observability = RecordingObservability()
            let journal = try await self.open(directory, flushInterval: .seconds(30), flushLines: 50, observability: observability)
            let started = ContinuousClock.now
            try await withRunningJournal(journal) { journal in
                var last = Int64(0)
                for number in 0..<50 { last = try await journal.enqueue(line(smdrLine("F", number))).nextOffset }
                try await journal.waitUntilDurable(upTo: last)
            }
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(observability.commits.reduce(0, +) == 50)
        }
    }

    @Test func sequentialAppendsEachWaitForTheirOwnSync() async throws {
        try await withTemporaryDirectory { directory in
            let observability = RecordingObservability()
            let journal = try await self.open(directory, flushInterval: .milliseconds(1), observability: observability)
            try await withRunningJournal(journal) { journal in
                for number in 0..<5 { try await journal.append(line(smdrLine("Q", number))) }
            }
            #expect(observability.commits == [1, 1, 1, 1, 1], "one sync per durable append when appends do not overlap")
        }
    }

    @Test func recoveryCutsAnIncompleteTailEntry() async throws {
        try await withTemporaryDirectory { directory in
            // The first journal is gone before the reopen (a restart): it holds the directory's lock.
            let end = try await {
                let journal = try await self.open(directory)
                try await withRunningJournal(journal) { journal in
                    for number in 0..<3 { try await journal.append(line(smdrLine("T", number))) }
                }
                return journal.endOffset
            }()
            let path = directory + "/journal/main/" + (try self.segmentFiles(directory).last!)
            // A crash in the middle of writing the next entry: its header and half its payload.
            var torn: [UInt8] = []
            JournalFormat.encodeEntry(line(smdrLine("T", 3)), flags: [], receivedAt: 0, into: &torn)
            try self.appendBytes(Array(torn.prefix(torn.count / 2)), to: path)
            let observability = RecordingObservability()
            let reopened = try await self.open(directory, observability: observability)
            #expect(reopened.endOffset == end)
            #expect(observability.events.contains(.tailTruncated(site: "main", bytes: Int64(torn.count / 2))))
            #expect(try await readAll(reopened).count == 3)
            try await withRunningJournal(reopened) { journal in _ = try await journal.append(line("after recovery")) }
            #expect(try await readAll(reopened).last?.payload == line("after recovery"))
        }
    }

    @Test func recoveryCutsABadChecksumAtTheEnd() async throws {
        try await withTemporaryDirectory { directory in
            let locations = try await {
                let journal = try await self.open(directory)
                return try await withRunningJournal(journal) { journal in
                    try await [journal.append(line("first")), journal.append(line("second"))]
                }
            }()
            let path = directory + "/journal/main/" + (try self.segmentFiles(directory).last!)
            try self.flipByte(at: Int64(JournalFormat.headerLength) + locations[1].offset + 18, in: path)
            let observability = RecordingObservability()
            let reopened = try await self.open(directory, observability: observability)
            #expect(reopened.endOffset == locations[1].offset)
            #expect(try await readAll(reopened).map(\.payload) == [line("first")])
            #expect(observability.count { if case .tailTruncated = $0 { true } else { false } } == 1)
        }
    }

    @Test func corruptionInTheMiddleIsReportedNotSkipped() async throws {
        try await withTemporaryDirectory { directory in
            let locations = try await {
                let journal = try await self.open(directory)
                return try await withRunningJournal(journal) { journal in
                    try await [journal.append(line("first")), journal.append(line("second")), journal.append(line("third"))]
                }
            }()
            let path = directory + "/journal/main/" + (try self.segmentFiles(directory).last!)
            try self.flipByte(at: Int64(JournalFormat.headerLength) + locations[1].offset + 17, in: path)
            let error = await #expect(throws: JournalError.self) { _ = try await self.open(directory) }
            #expect(error?.code == .corrupted)
            #expect(error?.offset == locations[1].offset)
        }
    }

    @Test func corruptionInAnOlderSegmentFailsTheRead() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20)
                try await withRunningJournal(journal) { journal in
                    for number in 0..<80 { _ = try await journal.enqueue(line(smdrLine("C", number))) }
                    try await journal.waitUntilDurable(upTo: journal.state.withLock { $0.assignedEnd })
                }
            }
            let first = directory + "/journal/main/" + (try self.segmentFiles(directory).first!)
            try self.flipByte(at: Int64(JournalFormat.headerLength) + 200, in: first)
            let reopened = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20)
            let error = await #expect(throws: JournalError.self) { _ = try await readAll(reopened) }
            #expect(error?.code == .corrupted)
        }
    }

    @Test(arguments: [Journal.Configuration.ReleaseMode.delete, .archive])
    func releaseFreesWholeLoadedSegments(mode: Journal.Configuration.ReleaseMode) async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20, releaseMode: mode)
            let lines = (0..<100).map { line(smdrLine("R", $0)) }
            try await withRunningJournal(journal) { journal in
                for chunk in lines { _ = try await journal.enqueue(chunk) }
                try await journal.waitUntilDurable(upTo: journal.state.withLock { $0.assignedEnd })
            }
            let before = try self.segmentFiles(directory)
            let entries = try await readAll(journal)
            let retained = journal.retainedBytes
            // Loaded up to the middle of the third segment: the first two go.
            let thirdBase = try #require(JournalFormat.base(ofSegmentNamed: before[2]))
            let loaded = try #require(entries.first { $0.offset > thirdBase }).offset
            try await journal.release(upTo: loaded)
            #expect(journal.startOffset == thirdBase)
            #expect(try self.segmentFiles(directory) == Array(before.dropFirst(2)))
            #expect(journal.retainedBytes < retained)
            if mode == .archive {
                #expect(try POSIX.listDirectory(directory + "/journal/main/archive").sorted() == Array(before.prefix(2)))
            }
            let rest = try await readAll(journal)
            #expect(rest.map(\.payload) == entries.filter { $0.offset >= thirdBase }.map(\.payload))
            let error = await #expect(throws: JournalError.self) { _ = try await journal.read(from: 0) }
            #expect(error?.code == .offsetReleased)
            // Releasing everything keeps the segment being written.
            try await journal.release(upTo: journal.endOffset)
            #expect(try self.segmentFiles(directory).count == 1)
            let reopened = try await self.open(directory, segmentSize: 4096, maximumBytes: 1 << 20)
            #expect(reopened.endOffset == journal.endOffset)
        }
    }

    @Test func aFullJournalSuspendsAppendsUntilRelease() async throws {
        try await withTemporaryDirectory { directory in
            let observability = RecordingObservability()
            let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 8192, observability: observability)
            let lines = (0..<200).map { line(smdrLine("B", $0)) }  // ≈ 200 × 150 B: four times the limit
            try await withRunningJournal(journal) { journal in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for chunk in lines { try await journal.append(chunk) }
                    }
                    // The writer stalls at the limit.
                    try await eventually { observability.events.contains(.backpressureStarted(site: "main")) }
                    #expect(journal.retainedBytes <= 8192)
                    let stalledAt = journal.endOffset
                    try await Task.sleep(for: .milliseconds(100))
                    #expect(journal.endOffset == stalledAt, "no progress while full")
                    // A loader: read, then release what it read.
                    var offset = journal.startOffset
                    var received: [[UInt8]] = []
                    while received.count < lines.count {
                        let batch = try await journal.read(from: offset)
                        if batch.entries.isEmpty {
                            try await journal.waitForEntries(after: offset)
                            continue
                        }
                        received += batch.entries.map(\.payload)
                        offset = batch.nextOffset
                        try await journal.release(upTo: offset)
                        #expect(journal.retainedBytes <= 8192 + 4096)
                    }
                    try await group.waitForAll()
                    #expect(received.count == lines.count)
                    #expect(received == lines, "same lines in order")
                }
            }
            #expect(observability.events.contains(.backpressureEnded(site: "main")))
        }
    }

    @Test func aCancelledAppendWaitingForRoomIsNotJournaled() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 8192)
            try await withRunningJournal(journal) { journal in
                var count = 0
                while journal.retainedBytes + 200 <= 8192 {
                    try await journal.append(line(smdrLine("X", count)))
                    count += 1
                }
                let waiting = Task { try await journal.append(line(smdrLine("X", count))) }
                try await Task.sleep(for: .milliseconds(50))
                waiting.cancel()
                await #expect(throws: CancellationError.self) { try await waiting.value }
                #expect(try await readAll(journal).count == count)
            }
        }
    }

    /// One writer per journal directory: while a journal can write, opening its directory
    /// again fails naming this process; once its writer stopped, a new one opens it.
    @Test func aJournalThatCanWriteCannotBeOpenedTwice() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory)
            let lockFile = try POSIX.open(directory + "/journal/main/lock", flags: O_RDONLY)
            let lock = try POSIX.readSome(lockFile, count: 64, path: "lock")
            POSIX.close(lockFile)
            #expect(lock == Array("\(getpid())\n".utf8))
            try await withRunningJournal(journal) { journal in
                try await journal.append(line("first"))
                let error = await #expect(throws: JournalError.self) { _ = try await self.open(directory) }
                #expect(error?.code == .inUse)
                #expect(error?.detail.contains("process \(getpid())") == true)
            }
            let reopened = try await self.open(directory)
            #expect(try await readAll(reopened).map(\.payload) == [line("first")])
            _ = journal
        }
    }

    @Test func keepsTheUnterminatedFlagOfAnEntry() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory)
            try await withRunningJournal(journal) { journal in
                try await journal.append(FramedLine(bytes: line("whole")))
                try await journal.append(FramedLine(bytes: line("2008/06/28 09:28:41,00:0"), isUnterminated: true))
            }
            let entries = try await readAll(journal)
            #expect(entries.map(\.isUnterminated) == [false, true])
            #expect(entries.map(\.isTruncated) == [false, false])
            // Recovery (a restart) accepts the flag and keeps the entry: it is no torn tail.
            let reopened = try await self.open(directory)
            let recovered = try await readAll(reopened)
            #expect(recovered.map(\.isUnterminated) == [false, true])
            #expect(recovered.map { Array($0.payload) } == entries.map { Array($0.payload) })
        }
    }

    /// At the end of the shutdown grace period the listener makes the journal take what waits.
    @Test func admitOverLimitLetsWaitingAndLaterAppendsIn() async throws {
        try await withTemporaryDirectory { directory in
            let journal = try await self.open(directory, segmentSize: 4096, maximumBytes: 8192)
            try await withRunningJournal(journal) { journal in
                var count = 0
                while journal.retainedBytes + 200 <= 8192 {
                    try await journal.append(line(smdrLine("O", count)))
                    count += 1
                }
                let appended = AppendedFlag()
                let waiting = Task {
                    try await journal.append(line(smdrLine("O", count)))
                    appended.value.withLock { $0 = true }
                }
                try await Task.sleep(for: .milliseconds(200))
                #expect(appended.value.withLock { $0 } == false, "the append waits for room before admitOverLimit")
                journal.admitOverLimit()
                _ = try await waiting.value
                for extra in 1...50 { try await journal.append(line(smdrLine("O", count + extra))) }
                #expect(journal.retainedBytes > 8192)
                #expect(try await readAll(journal).count == count + 51)
            }
        }
    }

    @Test func rejectsUnworkableConfigurations() async throws {
        try await withTemporaryDirectory { directory in
            await #expect(throws: JournalError.self) { _ = try await self.open(directory, segmentSize: 4096, maximumBytes: 4096) }
            await #expect(throws: JournalError.self) { _ = try await self.open(directory, flushLines: 0) }
        }
    }

    @Test func checksumMatchesTheCRC32CCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(CRC32C.checksum(long) == CRC32C.checksum(long[500...], continuing: CRC32C.checksum(long[..<500])))
    }

    // MARK: - File surgery

    private func appendBytes(_ bytes: [UInt8], to path: String) throws {
        let descriptor = try POSIX.open(path, flags: O_WRONLY)
        defer { POSIX.close(descriptor) }
        let size = try POSIX.fileSize(descriptor, path: path)
        try bytes.withUnsafeBytes { try POSIX.writeAll(descriptor, $0, at: size, path: path) }
    }

    private func flipByte(at position: Int64, in path: String) throws {
        let descriptor = try POSIX.open(path, flags: O_RDWR)
        defer { POSIX.close(descriptor) }
        var byte = try POSIX.read(descriptor, count: 1, at: position, path: path)
        byte[0] ^= 0xFF
        try byte.withUnsafeBytes { try POSIX.writeAll(descriptor, $0, at: position, path: path) }
    }
}

/// Set once an append that waited for journal room has returned.
private final class AppendedFlag: Sendable {
    let value = Mutex(false)
}

private func line(_ text: String) -> [UInt8] { Array(text.utf8) }
