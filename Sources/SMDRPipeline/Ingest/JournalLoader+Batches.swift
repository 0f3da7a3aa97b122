import Foundation
import Logging
import SMDRCore
import SMDRJournal
import SMDRListener
import SMDRPostgres
import ServiceLifecycle
import Synchronization

/// Reading, deciding and encoding journal batches, and the metrics of a loaded one.
extension JournalLoader {
    static func unixTime(_ timestamp: JournalTimestamp) -> Double {
        Double(timestamp.microsecondsSince1970) / 1_000_000
    }


    /// A journal batch parsed and encoded for one transaction, with the checkpoint of its end.
    struct PreparedLoad: Sendable {
        /// The writer that prepared it: a site whose time zone changed re-prepares.
        var writer: ObjectIdentifier
        var start: Int64
        var nextOffset: Int64
        var prepared: EncodedBatch
        var lineCount: Int
        var firstReceivedAt: JournalTimestamp?
        var rejectedByCode: [String: Int]

        var isEmpty: Bool { self.lineCount == 0 }
    }

    func read(from offset: Int64) async throws -> JournalBatch {
        try await self.journal.read(
            from: offset, maximumCount: self.configuration.batchLines, maximumBytes: self.configuration.batchBytes
        )
    }

    /// Decides and encodes `batch` (no database work).
    func prepare(_ batch: JournalBatch, at position: Position) -> PreparedLoad {
        let lines = batch.entries.map { entry in
            IngestLine(
                bytes: entry.payload,
                isTruncated: entry.isTruncated,
                isUnterminated: entry.isUnterminated,  // the PBX stopped mid-record and will send it again whole
                position: entry.offset,
                receivedAt: Date(timeIntervalSince1970: Double(entry.receivedAt.microsecondsSince1970) / 1_000_000)
            )
        }
        let writer = self.writer
        let decided = IngestBatcher(timeZone: writer.timeZone).batch(lines, source: .peer(stream: self.stream))
        let rejectedByCode = decided.rejectedByCode
        let prepared = writer.encode(
            consume decided,
            checkpoint: JournalCheckpoint(stream: self.stream, expected: position.stored, offset: batch.nextOffset)
        )
        return PreparedLoad(
            writer: ObjectIdentifier(writer),
            start: position.offset,
            nextOffset: batch.nextOffset,
            prepared: prepared,
            lineCount: lines.count,
            firstReceivedAt: batch.entries.first?.receivedAt,
            rejectedByCode: rejectedByCode
        )
    }

    /// Updates the metrics for a committed batch.
    func loaded(_ batch: PreparedLoad, counts: IngestCounts, preparingNext: Duration, loading: Duration) {
        self.metrics.databaseAvailable(true)
        self.metrics.linesLoaded(new: counts.new, duplicate: counts.duplicate, rejected: counts.rejected, site: self.site)
        self.depth.loaded(lines: batch.lineCount, site: self.site, metrics: self.metrics)
        for (code, count) in batch.rejectedByCode { self.metrics.linesRejected(count, code: code, site: self.site) }
        self.logger.debug(
            "journal batch loaded",
            metadata: [
                "smdr.lines": "\(batch.lineCount)", "smdr.counts": "\(counts)",
                "smdr.load.duration": "\(loading)", "smdr.prepare-next.duration": "\(preparingNext)",
            ]
        )
    }

    /// Counts the lines journaled before this start and not yet loaded, for the depth gauge, and
    /// notes when the oldest of them was received, for the lag gauge. A journal read error here
    /// only leaves the gauge low; the load loop retries the read.
    func countBacklog(from offset: Int64) async {
        var position = offset
        var lines = 0
        var oldest: JournalTimestamp?
        let end = self.journal.endOffset
        while position < end {
            guard let batch = try? await self.journal.read(from: position, maximumCount: 10_000, maximumBytes: 8 << 20),
                !batch.entries.isEmpty
            else { break }
            if oldest == nil { oldest = batch.entries.first?.receivedAt }
            lines += batch.entries.count
            position = batch.nextOffset
        }
        self.depth.backlog(lines: lines, site: self.site, metrics: self.metrics)
        self.metrics.oldestUnloadedLine(receivedAt: oldest.map(Self.unixTime), site: self.site)
    }
}
