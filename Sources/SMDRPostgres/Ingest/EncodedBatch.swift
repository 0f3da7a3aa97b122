import SMDRCore

/// The legs of a batch that share a Call ID and local Call Start within a site: leg ordinals count within it.
package struct OrdinalGroup: Hashable, Sendable {
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
        var key: OrdinalGroup
        var month: CallMonth
        var range: Range<Int>
    }

    /// Encodes `batch`, taking its lines: each is moved out of the batch and borrowed while its
    /// columns are written (a copy of a line would retain every text field of its record).
    init(_ batch: consuming DecidedBatch, siteID: Int, checkpoint: JournalCheckpoint?) {
        self.counts = batch.counts
        self.checkpoint = checkpoint
        self.uniqueLineCount = batch.lines.count
        self.months = batch.months
        let source = batch.source
        var lines = batch.lines
        batch.lines = []  // the lines' storage is now this function's alone
        lines.reverse()
        var raw = ColumnWriter(encoder: RowEncoder(format: CopyBinaryEncoder(), siteID: siteID, source: source))
        var leg = ColumnWriter(encoder: RowEncoder(format: CopyTextEncoder(), siteID: siteID, source: source))
        while let line = lines.popLast() {
            if let error = line.error {
                self.rejections.append((line.digest, IngestRejection(source: source, position: line.position, error: error)))
            }
            if line.leg != nil {
                leg.encoder.month = line.month
                leg.encoder.digest = line.digest
                leg.encoder.startLocal = line.leg!.record.callStart.description
                CallLegRow.visitColumns(of: line, &leg)
                leg.encoder.format.endRowWithoutTerminator()
                let start = self.legs.last?.range.upperBound ?? 0
                let key = OrdinalGroup(callID: line.leg!.record.callID, startLocal: leg.encoder.startLocal)
                self.legs.append(Leg(key: key, month: line.month, range: start..<leg.encoder.format.bytes.count))
            }
            raw.encoder.format.beginRow()
            RawRecordRow.visitColumns(of: line, &raw)
            raw.encoder.format.endRow()
        }
        raw.encoder.format.finish()
        self.rawRows = raw.encoder.format.bytes
        self.legBytes = leg.encoder.format.bytes
    }

    /// Appends leg row `leg` with `lastField` (the ordinal or batch position) and the newline.
    func appendLegRow(_ leg: Leg, lastField: Int, to rows: inout [UInt8]) {
        rows.append(contentsOf: self.legBytes[leg.range])
        rows.append(CopyText.tab)
        CopyText.appendInteger(lastField, to: &rows)
        rows.append(CopyText.newline)
    }
}
