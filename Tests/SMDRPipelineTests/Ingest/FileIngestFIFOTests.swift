import Foundation
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2)))
struct FileIngestFIFOTests {
    /// Ingests from more FIFOs at once than the cooperative pool has threads, while no FIFO has a
    /// writer yet: each ingest waits in `open` until its writer appears. That wait must not hold a
    /// cooperative thread, so this test's own continuation (and a fresh task) still run; the
    /// writers appear only then, or after `writerDeadline` if the pool was blocked (the test fails).
    @Test func waitingForAFIFOWriterLeavesTheCooperativePoolFree() async throws {
        let fifoCount = 2 * ProcessInfo.processInfo.activeProcessorCount + 2
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-fifo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var fifos: [(path: String, bytes: [UInt8])] = []
        for index in 0..<fifoCount {
            let path = "\(directory)/capture-\(index).fifo"
            #expect(mkfifo(path, 0o600) == 0)
            // 100 lines (about 20 KB) fit in a pipe's buffer, so a writer never waits for its reader.
            fifos.append((path, generatedStream(lines: 100, seed: UInt64(index + 1))))
        }

        try await TestDatabase.withDatabase { database in
            try await database.withStore { store in
                let writer = try await makeWriter(store)
                let feeder = FIFOFeeder(fifos: fifos, writerDeadline: .seconds(10))
                try await withThrowingTaskGroup(of: FileIngestor.Summary.self) { group in
                    for fifo in fifos {
                        group.addTask { try await FileIngestor(store: writer).ingest(paths: [fifo.path]) }
                    }
                    try await Task.sleep(for: .milliseconds(500))  // the ingests are now waiting in open
                    let probe = await Task.detached { 42 }.value
                    #expect(probe == 42)
                    feeder.release()
                    var loaded = 0
                    for try await summary in group {
                        #expect(summary.counts.new == 100)
                        loaded += summary.counts.new
                    }
                    #expect(loaded == 100 * fifoCount)
                }
                #expect(
                    feeder.releasedInTime,
                    "the cooperative pool stayed blocked until the FIFO writers appeared on their own after 10 s"
                )
                #expect(try await count(store, "SELECT count(*) FROM smdr.raw_record") == 100 * fifoCount)
            }
        }
    }
}

/// Writes each FIFO's bytes from a plain thread (not the cooperative pool) once ``release()``
/// is called, or once the deadline passes so that a blocked pool fails the test instead of
/// hanging it. Each FIFO is opened as soon as its reader has it open.
private final class FIFOFeeder: Sendable {
    private let released = DispatchSemaphore(value: 0)
    private let inTime = Atomic<Bool>(false)

    init(fifos: [(path: String, bytes: [UInt8])], writerDeadline: Duration) {
        let seconds = Double(writerDeadline.components.seconds)
        let thread = Thread { [self] in
            self.inTime.store(self.released.wait(timeout: .now() + seconds) == .success, ordering: .sequentiallyConsistent)
            var remaining = fifos
            while !remaining.isEmpty {
                remaining.removeAll { fifo in
                    // O_NONBLOCK: fails with ENXIO while the FIFO has no reader, instead of waiting.
                    let descriptor = open(fifo.path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                    guard descriptor >= 0 else { return false }
                    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
                    fifo.bytes.withUnsafeBytes { buffer in
                        var written = 0
                        while written < buffer.count {
                            let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                            if count < 0, errno == EINTR { continue }
                            precondition(count > 0, "writing to \(fifo.path) failed")
                            written += count
                        }
                    }
                    close(descriptor)
                    return true
                }
                usleep(10_000)
            }
        }
        thread.start()
    }

    /// Lets the writers appear now.
    func release() { self.released.signal() }

    /// Whether ``release()`` came before the deadline.
    var releasedInTime: Bool { self.inTime.load(ordering: .sequentiallyConsistent) }
}
