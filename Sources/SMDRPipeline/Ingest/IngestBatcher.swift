package import Foundation
import SMDRCore
package import SMDRPostgres

/// Decides what a batch of framed lines becomes in the store, without any I/O: the one place
/// where lines are parsed, keyed, given their call month and time, and de-duplicated.
///
/// Both drivers use it: ``FileIngestor`` for files and ``JournalLoader`` for journaled lines,
/// so a line is decided the same way whichever way it came.
///
/// ## Behavior
/// - Each line is parsed once (or its ``IngestLine/parsed`` result is taken); a truncated line
///   is rejected as ``SMDRParseError/Code/lineTooLong``, an unterminated one as
///   ``SMDRParseError/Code/unterminated``.
/// - Its key is the SHA-256 of its bytes; its month is read from the bytes (``CallMonth``).
/// - A fragment cut off by the end of its connection (``SMDRParseError/Code/unterminated``)
///   is keyed apart from a whole line with the same bytes, in the unparsed month, so the whole
///   line, when the PBX sends it again, is new and gets its leg.
/// - A line repeated within the batch is kept once (the first), but counted as read each time.
/// - A parsed line's Call Start is resolved in the site's time zone (``TimeZoneResolver``).
package struct IngestBatcher {
    private let timeZone: TimeZone
    private let parser = SMDRParser()

    /// - Parameter timeZone: the site's zone, which Call Start is local time in.
    package init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Decides `lines`, in order.
    package func batch(_ lines: some Collection<IngestLine>, source: IngestSource) -> DecidedBatch {
        var batch = DecidedBatch(source: source)
        batch.lines.reserveCapacity(lines.count)
        var resolver = TimeZoneResolver(timeZone: self.timeZone)
        var seen = Set<[UInt8]>(minimumCapacity: lines.count)
        for line in lines {
            batch.counts.read += 1
            let outcome: Result<CallRecord, SMDRParseError>
            if line.isTruncated {
                outcome = .failure(SMDRParseError(code: .lineTooLong, field: nil, offset: line.bytes.count))
            } else if line.isUnterminated {
                outcome = .failure(SMDRParseError(code: .unterminated, field: nil, offset: line.bytes.count))
            } else if let parsed = line.parsed {
                outcome = parsed
            } else {
                outcome = Result { () throws(SMDRParseError) -> CallRecord in try self.parser.parse(line.bytes) }
            }
            if case .failure(let failure) = outcome {
                batch.counts.rejected += 1
                batch.rejectedByCode[failure.code.description, default: 0] += 1
            }
            let digest = SHA256.hash(line.bytes)
            var isFragment = false
            if case .failure(let failure) = outcome, failure.code == .unterminated { isFragment = true }
            guard seen.insert(digest + [isFragment ? 1 : 0]).inserted else { continue }  // same line earlier in this batch
            let month = isFragment ? CallMonth.unparsed : CallMonth(line: line.bytes)
            batch.months.insert(month)
            var decided = DecidedLine(
                bytes: line.bytes, digest: digest, month: month, position: line.position, receivedAt: line.receivedAt,
                isTruncated: line.isTruncated, leg: nil, error: nil
            )
            switch outcome {
            case .failure(let failure):
                decided.error = failure
            case .success(let record):
                let time = resolver.resolve(record.callStart, recordTime: record.recordTime, receivedAt: line.receivedAt)
                decided.leg = DecidedLeg(record: record, time: time)
            }
            batch.lines.append(decided)
        }
        return batch
    }
}
