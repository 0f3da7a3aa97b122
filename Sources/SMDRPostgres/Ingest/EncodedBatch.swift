import SMDRCore

/// A call: (Call ID, Call Start local) within a site.
package struct CallKey: Hashable, Sendable {
    var callID: Int
    var startLocal: String
}

/// A ``DecidedBatch`` encoded for `COPY`, ready to load: made while the batch before it loads.
package struct EncodedBatch: Sendable {
    /// `read` and `rejected` are final; `new`/`duplicate` are filled in by the load.
    var counts: IngestCounts
    var checkpoint: JournalCheckpoint?
    /// The rejected lines among the unique ones, with their SHA-256, in batch order.
    var rejections: [(digest: [UInt8], rejection: IngestRejection)] = []
    /// Lines after removing repeats within the batch: the rows of ``rawRows``.
    var uniqueLineCount: Int
    var months: Set<CallMonth>
    /// `raw_record` rows in binary `COPY` format, columns as ``RawRecordRow/columns``.
    private(set) var rawRows: [UInt8]
    /// ``CallLegRow`` rows without `leg_ordinal` and newline, back to back; see ``legs``.
    private(set) var legBytes: [UInt8]
    private(set) var legs: [Leg] = []

    struct Leg: Sendable {
        var key: CallKey
        var month: CallMonth
        var range: Range<Int>
    }

    init(_ batch: DecidedBatch, siteID: Int, checkpoint: JournalCheckpoint?) {
        self.counts = batch.counts
        self.checkpoint = checkpoint
        self.uniqueLineCount = batch.lines.count
        self.months = batch.months
        var raw = CopyBinaryEncoder()
        var leg = CopyTextEncoder()
        for line in batch.lines {
            if let error = line.error {
                self.rejections.append((line.digest, IngestRejection(source: batch.source, position: line.position, error: error)))
            }
            if let decided = line.leg {
                let row = CallLegRow(
                    siteID: siteID, month: line.month, digest: line.digest, leg: decided,
                    startLocal: decided.record.callStart.description
                )
                CallLegRow.columns.encode(row, into: &leg)
                leg.endRowWithoutTerminator()
                let start = self.legs.last?.range.upperBound ?? 0
                self.legs.append(
                    Leg(key: CallKey(callID: decided.record.callID, startLocal: row.startLocal), month: line.month, range: start..<leg.bytes.count)
                )
            }
            raw.beginRow()
            RawRecordRow.columns.encode(RawRecordRow(siteID: siteID, source: batch.source, line: line), into: &raw)
            raw.endRow()
        }
        raw.finish()
        self.rawRows = raw.bytes
        self.legBytes = leg.bytes
    }

    /// Appends leg row `leg` with `lastField` (the ordinal or batch position) and the newline.
    func appendLegRow(_ leg: Leg, lastField: Int, to rows: inout [UInt8]) {
        rows.append(contentsOf: self.legBytes[leg.range])
        rows.append(CopyText.tab)
        CopyText.appendInteger(lastField, to: &rows)
        rows.append(CopyText.newline)
    }
}
