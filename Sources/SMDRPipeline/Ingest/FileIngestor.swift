import Foundation
import SMDRCore
public import SMDRPostgres

/// Loads SMDR capture files (or stdin) into the store: what `smdr ingest` does.
///
/// ## Behavior
/// - Each file is read in chunks of ``Configuration/readChunkBytes`` and framed with
///   ``LineFramer`` (CR, LF or CRLF; NULs dropped; lines over
///   ``Configuration/maximumLineLength`` kept truncated and rejected; a last line without
///   terminator kept).
/// - A Delta Server CSV header (`Call Start,Call Duration,…`) as the first line of a file is
///   skipped and counted in ``Summary/headerLines``; it is not a record.
/// - Lines are decided by ``IngestBatcher`` and loaded through ``IngestStore`` in batches of at
///   most ``Configuration/maximumBatchLines`` lines and ``Configuration/maximumBatchBytes``
///   bytes, one batch per transaction. While a
///   batch loads, the next one is read, decided and encoded; at most one batch is in flight.
/// - A line's position is its number among the file's non-empty lines (1-based); all lines of
///   one run share one `received_at`, the time the run started.
/// - Loading is exactly-once: running again over the same files adds nothing.
/// - With ``IngestStore/Configuration/waitsForDurableCommit`` off (as `smdr ingest` sets it),
///   batches commit without waiting for the disk and the run ends with one durable flush, so
///   everything is on disk when ``ingest(paths:progress:)`` returns; a crash before that loses
///   at most the batches not yet flushed, and running again loads them.
public struct FileIngestor: Sendable {
    public struct Configuration: Sendable {
        /// Longest line kept whole, in bytes. Defaults to ``LineFramer/defaultMaximumLineLength`` (4096).
        public var maximumLineLength = LineFramer.defaultMaximumLineLength
        /// Bytes read from a file at a time. Defaults to 1 MiB.
        public var readChunkBytes = 1 << 20
        /// Rejected lines kept in ``Summary/rejections``, in input order (the rest are only
        /// counted). Defaults to 20.
        public var maximumReportedRejections = 20
        /// The most lines in one transaction; larger inputs are split. Defaults to 5000.
        public var maximumBatchLines = 5000
        /// The most line bytes in one transaction; larger inputs are split. Defaults to 8 MiB.
        public var maximumBatchBytes = 8 << 20

        public init() {}
    }

    /// Progress, reported after each batch.
    public struct Progress: Sendable {
        /// Bytes read so far, over all inputs.
        public var bytesRead: Int64
        /// Total bytes of all inputs, when every input is a regular file.
        public var totalBytes: Int64?
        public var counts: IngestCounts
        public var elapsedSeconds: Double
    }

    /// The result of a run.
    public struct Summary: Sendable {
        public var counts: IngestCounts
        /// The first ``Configuration/maximumReportedRejections`` rejected lines this run stored;
        /// `counts.newRejected` counts all of them.
        public var rejections: [IngestRejection]
        /// Delta Server header lines skipped.
        public var headerLines: Int
        public var elapsedSeconds: Double
        /// Lines read per second (0 for an empty run).
        public var linesPerSecond: Double {
            self.elapsedSeconds > 0 ? Double(self.counts.read) / self.elapsedSeconds : 0
        }
    }

    public let store: IngestStore
    public let configuration: Configuration

    public init(store: IngestStore, configuration: Configuration = Configuration()) {
        precondition(configuration.readChunkBytes > 0, "readChunkBytes must be positive")
        precondition(configuration.maximumBatchLines > 0 && configuration.maximumBatchBytes > 0, "batch limits must be positive")
        self.store = store
        self.configuration = configuration
    }

    /// Loads every input in order; `-` is stdin.
    ///
    /// - Throws: ``InputError`` when an input cannot be opened or read; ``PostgresError``.
    public func ingest(
        paths: [String],
        progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        let receivedAt = Date()
        let totalBytes = try await BlockingWork.run { Self.totalSize(of: paths) }
        var counts = IngestCounts()
        var rejections: [IngestRejection] = []
        let maximumRejections = self.configuration.maximumReportedRejections
        var headerLines = 0
        var bytesRead: Int64 = 0
        let batchLines = self.configuration.maximumBatchLines
        let batchBytes = self.configuration.maximumBatchBytes
        let store = self.store
        let batcher = IngestBatcher(timeZone: store.timeZone)

        func add(_ done: (counts: IngestCounts, rejections: [IngestRejection])) {
            counts += done.counts
            rejections += done.rejections.prefix(max(0, maximumRejections - rejections.count))
        }
        try await withThrowingTaskGroup(of: (counts: IngestCounts, rejections: [IngestRejection]).self) { group in
            var inFlight = false
            func submit(_ lines: [IngestLine], source: IngestSource) async throws {
                let batch = store.encode(batcher.batch(lines, source: source), checkpoint: nil)
                if inFlight, let done = try await group.next() {
                    add(done)
                    let elapsed = clock.now - started
                    progress(Progress(bytesRead: bytesRead, totalBytes: totalBytes, counts: counts, elapsedSeconds: elapsed.seconds))
                }
                group.addTask { try await store.loadReportingRejections(batch) }
                inFlight = true
            }

            for path in paths {
                let source = IngestSource.file(path)
                let file = try await ByteInput.open(path: path, chunkSize: self.configuration.readChunkBytes)
                var framer = LineFramer(maximumLineLength: self.configuration.maximumLineLength)
                var pending: [IngestLine] = []
                var pendingBytes = 0
                var position: Int64 = 0
                var framed: [FramedLine] = []
                var atEnd = false
                while !atEnd {
                    let chunk = try await file.nextChunk()
                    framed.removeAll(keepingCapacity: true)
                    if chunk.isEmpty {
                        atEnd = true
                        if let last = framer.finish() { framed.append(last) }
                    } else {
                        bytesRead += Int64(chunk.count)
                        framer.append(chunk) { framed.append($0) }
                    }
                    for line in framed {
                        position += 1
                        if position == 1, !line.isTruncated, SMDRParser.isDeltaServerHeader(line.bytes) {
                            headerLines += 1
                            continue
                        }
                        if pending.count >= batchLines || (pendingBytes + line.bytes.count > batchBytes && !pending.isEmpty) {
                            try await submit(pending, source: source)
                            pending.removeAll(keepingCapacity: true)
                            pendingBytes = 0
                        }
                        pending.append(IngestLine(line, position: position, receivedAt: receivedAt))
                        pendingBytes += line.bytes.count
                    }
                }
                if !pending.isEmpty {
                    try await submit(pending, source: source)
                }
            }
            while let done = try await group.next() {
                add(done)
            }
        }
        if !store.configuration.waitsForDurableCommit {
            try await store.flush()
        }
        let elapsed = (clock.now - started).seconds
        progress(Progress(bytesRead: bytesRead, totalBytes: totalBytes, counts: counts, elapsedSeconds: elapsed))
        return Summary(counts: counts, rejections: rejections, headerLines: headerLines, elapsedSeconds: elapsed)
    }

    private static func totalSize(of paths: [String]) -> Int64? {
        var total: Int64 = 0
        for path in paths {
            guard path != "-",
                let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? NSNumber
            else { return nil }
            total += size.int64Value
        }
        return total
    }
}

extension Duration {
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
