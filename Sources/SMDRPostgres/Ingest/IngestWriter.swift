import Foundation
public import SMDRCore
import Synchronization

/// Loads framed SMDR lines of one site into `raw_record` and `call_leg`, exactly once.
///
/// Used by `smdr ingest` for files and by the live loader for journaled lines, so files and
/// streams dedupe against each other: the key of a line is (site, SHA-256 of its bytes).
///
/// ## Loading behavior
/// - Every line is stored in `raw_record` byte for byte. A line that does not parse, or was
///   truncated at the line-length limit, is stored with its error (code, field, offset) and
///   gets no `call_leg`. Nothing is dropped.
/// - A batch is one transaction. It first takes a transaction-level advisory lock for the
///   site, so loads of one site are serialized: leg ordinals and checkpoints stay consistent.
///   Loads of different sites run in parallel.
/// - **Fast path:** `COPY` straight into `raw_record`, then into `call_leg`. If a line is
///   already stored, the unique key stops the `COPY` (SQLSTATE 23505); the transaction is
///   rolled back and the batch is redone on the **merge path**: `COPY` into temporary staging
///   tables, then `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` into `raw_record` and
///   legs for the new raw rows only, in one statement. After a batch with duplicates the writer
///   stays on the merge path until a batch has none.
/// - Deadlocks and serialization failures retry the whole batch, up to
///   ``Configuration/maximumTransactionRetries`` times.
/// - A ``JournalCheckpoint`` given with a batch is set in the same transaction, as a
///   compare-and-set on the offset the batch starts from, so the loaded rows and the offset
///   commit together and never past a batch that was lost.
/// - Monthly partitions for the batch's months are created first, in their own short
///   transaction (`smdr.ensure_month_partitions`), never while holding the load's locks.
/// - `leg_ordinal` numbers a call's legs in load order, continuing after the legs already stored.
public final class IngestWriter: Sendable {
    /// Limits and tuning of a writer.
    public struct Configuration: Sendable {
        /// The most lines in one transaction; larger inputs are split. Defaults to 5000.
        public var maximumBatchLines = 5000
        /// The most line bytes in one transaction; larger inputs are split. Defaults to 8 MiB.
        public var maximumBatchBytes = 8 << 20
        /// How often a batch is retried after a deadlock or serialization failure. Defaults to 5.
        public var maximumTransactionRetries = 5
        /// `COPY` data is sent in messages of this size. Defaults to 64 KiB.
        public var copyFlushThreshold = PostgresConnection.defaultCopyFlushThreshold
        /// Whether each batch's commit waits until its WAL is on disk (`synchronous_commit`).
        /// Defaults to `true`. With `false`, a crash can lose the last committed batches
        /// (rows and checkpoint together, so the store stays consistent); call
        /// ``IngestWriter/flush()`` before relying on them, e.g. before discarding the input.
        /// `smdr ingest` uses `false` and flushes once at the end.
        public var waitsForDurableCommit = true

        public init() {}
    }

    public let store: PostgresStore
    public let site: Site
    public let configuration: Configuration
    private let siteID: Int
    private let timeZone: TimeZone
    private let parser = SMDRParser()
    private let state = Mutex(State())

    private struct State {
        var knownMonths: Set<CallMonth> = [.unparsed]
        var preferMerge = false
    }

    /// - Throws: ``SiteError`` if the site is not stored or its time zone is unknown here.
    public init(store: PostgresStore, site: Site, configuration: Configuration = Configuration()) throws {
        precondition(configuration.maximumBatchLines > 0 && configuration.maximumBatchBytes > 0, "batch limits must be positive")
        self.store = store
        self.site = site
        self.configuration = configuration
        self.siteID = try site.storedID()
        self.timeZone = try site.resolvedTimeZone()
    }

    /// Loads `lines`, in order, as one or more transactions (split at the batch limits).
    ///
    /// - Parameter checkpoint: committed with the last transaction, when given.
    /// - Returns: what happened to the lines.
    public func write(
        _ lines: [IngestLine],
        source: IngestSource,
        checkpoint: JournalCheckpoint? = nil
    ) async throws -> IngestCounts {
        var counts = IngestCounts()
        var start = 0
        repeat {
            var end = start
            var bytes = 0
            while end < lines.count, end - start < self.configuration.maximumBatchLines,
                end == start || bytes + lines[end].bytes.count <= self.configuration.maximumBatchBytes
            {
                bytes += lines[end].bytes.count
                end += 1
            }
            let batch = self.prepare(lines[start..<end], source: source, checkpoint: end == lines.count ? checkpoint : nil)
            counts += try await self.load(batch)
            start = end
        } while start < lines.count
        return counts
    }

    // MARK: - Preparing (no database work)

    /// Hashes, parses, resolves times and encodes a batch as `COPY` payloads.
    package func prepare(
        _ lines: ArraySlice<IngestLine>,
        source: IngestSource,
        checkpoint: JournalCheckpoint?
    ) -> PreparedBatch {
        var batch = PreparedBatch(checkpoint: checkpoint)
        var resolver = TimeZoneResolver(timeZone: self.timeZone)
        var seen = Set<[UInt8]>(minimumCapacity: lines.count)
        for line in lines {
            batch.counts.read += 1
            let outcome: Result<CallRecord, SMDRParseError>
            if line.isTruncated {
                outcome = .failure(SMDRParseError(code: .lineTooLong, field: nil, offset: line.bytes.count))
            } else if let parsed = line.parsed {
                outcome = parsed
            } else {
                outcome = Result { () throws(SMDRParseError) -> CallRecord in try self.parser.parse(line.bytes) }
            }
            if case .failure = outcome { batch.counts.rejected += 1 }
            let digest = SHA256.hash(line.bytes)
            // A fragment cut off by the end of its connection is kept apart from a whole line
            // with the same bytes (a record cut just before its CR LF): in the unparsed month,
            // so the whole line, when the PBX sends it again, is new and gets its leg.
            var isFragment = false
            if case .failure(let failure) = outcome, failure.code == .unterminated { isFragment = true }
            guard seen.insert(digest + [isFragment ? 1 : 0]).inserted else { continue }  // same line earlier in this batch
            let month = isFragment ? CallMonth.unparsed : CallMonth(line: line.bytes)
            batch.months.insert(month)
            batch.uniqueLineCount += 1

            var error: SMDRParseError?
            switch outcome {
            case .failure(let failure):
                error = failure
                batch.rejections.append((digest, IngestRejection(source: source, position: line.position, error: failure)))
            case .success(let record):
                let time = resolver.resolve(record.callStart, recordTime: record.recordTime, receivedAt: line.receivedAt)
                batch.appendLeg(record, siteID: self.siteID, month: month, digest: digest, time: time)
            }
            batch.appendRaw(line, siteID: self.siteID, month: month, digest: digest, source: source, error: error)
        }
        batch.finish()
        return batch
    }

    // MARK: - Loading

    /// Loads a prepared batch in one transaction (retrying transient failures).
    package func load(_ batch: PreparedBatch) async throws -> IngestCounts {
        try await self.loadReportingRejections(batch).counts
    }

    /// ``load(_:)``, also returning the rejected lines this load stored (not those stored before).
    package func loadReportingRejections(_ batch: PreparedBatch) async throws -> (counts: IngestCounts, rejections: [IngestRejection]) {
        guard batch.uniqueLineCount > 0 else { return (batch.counts, []) }
        let (missingMonths, preferMerge) = self.state.withLock { state in
            (batch.months.subtracting(state.knownMonths), state.preferMerge)
        }
        let outcome = try await self.store.withConnection { connection in
            if !missingMonths.isEmpty {
                try Self.ensurePartitions(missingMonths, connection)
            }
            var attempt = 0
            while true {
                do {
                    if !preferMerge {
                        do {
                            return (try self.fastLoad(batch, connection), false, nil as Set<String>?)
                        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                            // Some lines are stored already: redo the batch on the merge path.
                        }
                    }
                    let (inserted, newRejected) = try self.mergeLoad(batch, connection)
                    return (inserted, inserted < batch.uniqueLineCount, Optional(newRejected))
                } catch let error as PostgresError
                    where error.sqlState?.isTransient == true && attempt < self.configuration.maximumTransactionRetries
                {
                    attempt += 1
                    usleep(UInt32(10_000 * attempt))  // this is a store thread, not the cooperative pool
                }
            }
        }
        self.state.withLock { state in
            state.knownMonths.formUnion(batch.months)
            if state.knownMonths.count > 1200 { state.knownMonths = [.unparsed] }  // bounded: re-checks are cheap
            state.preferMerge = outcome.1
        }
        var counts = batch.counts
        counts.new = outcome.0
        counts.duplicate = counts.read - counts.new
        // The fast path stored every line of the batch; the merge path says which rejected ones it stored.
        let rejections = batch.rejections.filter { outcome.2?.contains(Hex.encode($0.digest)) ?? true }.map(\.rejection)
        counts.newRejected = rejections.count
        return (counts, rejections)
    }

    private static func ensurePartitions(_ months: Set<CallMonth>, _ connection: PostgresConnection) throws {
        let list = "{" + months.map(\.description).sorted().joined(separator: ",") + "}"
        try connection.execute("SELECT smdr.ensure_month_partitions($1::date[])", [.text(list)])
    }

    /// Takes the site's load lock for the rest of the transaction.
    private func lockSite(_ connection: PostgresConnection) throws {
        try connection.execute("SELECT pg_advisory_xact_lock($1::int, $2::int)", [.int(Self.loadLockClass), .int(self.siteID)])
    }

    /// The advisory lock class (`'smld'`) of the per-site load lock.
    static let loadLockClass = 0x736D_6C64

    private func beginLoad(_ connection: PostgresConnection) throws {
        if !self.configuration.waitsForDurableCommit {
            try connection.execute("SET LOCAL synchronous_commit = off")
        }
        try self.lockSite(connection)
    }

    private func fastLoad(_ batch: PreparedBatch, _ connection: PostgresConnection) throws -> Int {
        try connection.withTransaction {
            try self.beginLoad(connection)
            try self.copy(batch.rawRows, into: "smdr.raw_record (\(Self.rawColumns))", format: "binary", connection)
            if !batch.legs.isEmpty {
                let ordinals = try self.existingOrdinals(batch, connection)
                var next = ordinals
                var rows: [UInt8] = []
                rows.reserveCapacity(batch.legBytes.count + batch.legs.count * 4)
                for leg in batch.legs {
                    let ordinal = (next[leg.key] ?? 0) + 1
                    next[leg.key] = ordinal
                    batch.appendLegRow(leg, lastField: ordinal, to: &rows)
                }
                try self.copy(rows, into: "smdr.call_leg (\(Self.legColumns), leg_ordinal)", format: "text", connection)
            }
            try self.saveCheckpoint(batch.checkpoint, connection)
            return batch.uniqueLineCount
        }
    }

    /// The highest stored leg ordinal of each call in the batch, one index probe per call, a query
    /// per month (a call's legs share its Call Start, and `call_month` is the month of Call Start
    /// for every parsed line).
    ///
    /// The probe is a `LATERAL` subquery with the month as a parameter of the statement, so the
    /// planner prunes `call_leg` to that month's partition once, at plan time, and the plan is a
    /// nested loop of index probes whatever the statistics say. A join over `call_leg` was
    /// planned as a hash of the whole month on a partition not yet analyzed (68 ms a batch,
    /// against 10), and a `LATERAL` taking the month from each call pruned partitions once per
    /// call (11x slower). A month without its own partition reads the default one.
    private func existingOrdinals(_ batch: PreparedBatch, _ connection: PostgresConnection) throws -> [CallKey: Int] {
        var callsByMonth: [CallMonth: Set<CallKey>] = [:]
        for leg in batch.legs { callsByMonth[leg.month, default: []].insert(leg.key) }
        var ordinals: [CallKey: Int] = [:]
        for (month, calls) in callsByMonth {
            let ids = "{" + calls.map { String($0.callID) }.joined(separator: ",") + "}"
            let starts = "{" + calls.map { "\"\($0.startLocal)\"" }.joined(separator: ",") + "}"
            let rows = try connection.execute(
                """
                SELECT k.call_id, k.start_local::text, o.ordinal
                FROM unnest($3::bigint[], $4::timestamp[]) AS k (call_id, start_local)
                CROSS JOIN LATERAL (
                    SELECT max(l.leg_ordinal) AS ordinal FROM smdr.call_leg AS l
                    WHERE l.site_id = $1 AND l.call_month = $2::date
                      AND l.call_id = k.call_id AND l.call_start_local = k.start_local
                ) AS o
                WHERE o.ordinal IS NOT NULL
                """,
                [.int(self.siteID), .text(month.description), .text(ids), .text(starts)]
            )
            for row in rows {
                ordinals[CallKey(callID: row[0].int!, startLocal: row[1].string!)] = row[2].int!
            }
        }
        return ordinals
    }

    /// Returns the lines stored and the SHA-256 (hex) of the rejected lines among them.
    private func mergeLoad(_ batch: PreparedBatch, _ connection: PostgresConnection) throws -> (Int, Set<String>) {
        try connection.withTransaction {
            try self.beginLoad(connection)
            try connection.executeScript(
                """
                CREATE TEMP TABLE IF NOT EXISTS smdr_stage_raw (LIKE smdr.raw_record INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
                CREATE TEMP TABLE IF NOT EXISTS smdr_stage_leg (LIKE smdr.call_leg) ON COMMIT DELETE ROWS;
                """
            )
            try self.copy(batch.rawRows, into: "pg_temp.smdr_stage_raw (\(Self.rawColumns))", format: "binary", connection)
            if !batch.legs.isEmpty {
                // The staging leg_ordinal holds the leg's position in the batch.
                var rows: [UInt8] = []
                rows.reserveCapacity(batch.legBytes.count + batch.legs.count * 6)
                for (position, leg) in batch.legs.enumerated() {
                    batch.appendLegRow(leg, lastField: position + 1, to: &rows)
                }
                try self.copy(rows, into: "pg_temp.smdr_stage_leg (\(Self.legColumns), leg_ordinal)", format: "text", connection)
            }
            let stagedLegColumns = Self.legColumnNames.map { "s.\($0)" }.joined(separator: ", ")
            let result = try connection.execute(
                """
                WITH new_raw AS (
                    INSERT INTO smdr.raw_record (\(Self.rawColumns))
                    SELECT \(Self.rawColumns) FROM pg_temp.smdr_stage_raw ORDER BY sha256
                    ON CONFLICT (site_id, call_month, sha256) DO NOTHING
                    RETURNING call_month, sha256, parse_error IS NOT NULL AS is_rejected
                ), new_leg AS (
                    INSERT INTO smdr.call_leg (\(Self.legColumns), leg_ordinal)
                    SELECT \(stagedLegColumns),
                           coalesce(existing.ordinal, 0)
                               + row_number() OVER (PARTITION BY s.call_id, s.call_start_local ORDER BY s.leg_ordinal)
                    FROM pg_temp.smdr_stage_leg AS s
                    JOIN new_raw AS n ON n.call_month = s.call_month AND n.sha256 = s.raw_sha256
                    LEFT JOIN LATERAL (
                        SELECT max(l.leg_ordinal) AS ordinal FROM smdr.call_leg AS l
                        WHERE l.site_id = s.site_id AND l.call_month = s.call_month
                          AND l.call_id = s.call_id AND l.call_start_local = s.call_start_local
                    ) AS existing ON true
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM new_raw), (SELECT count(*) FROM new_leg),
                       (SELECT string_agg(encode(sha256, 'hex'), ',') FROM new_raw WHERE is_rejected)
                """
            )
            try self.saveCheckpoint(batch.checkpoint, connection)
            let rejected = result.first?[2].string.map { Set($0.split(separator: ",").map(String.init)) } ?? []
            return (result.first?[0].int ?? 0, rejected)
        }
    }

    /// `format`: `text` or `binary`.
    private func copy(_ rows: [UInt8], into target: String, format: String, _ connection: PostgresConnection) throws {
        try connection.copyIn("COPY \(target) FROM STDIN (FORMAT \(format))", flushThreshold: self.configuration.copyFlushThreshold) { writer in
            try writer.write(encoded: rows)
        }
    }

    /// Compare-and-set: moves the checkpoint from `expected` to `offset`, or throws
    /// ``JournalCheckpointConflict`` (the caller's transaction then rolls back).
    private func saveCheckpoint(_ checkpoint: JournalCheckpoint?, _ connection: PostgresConnection) throws {
        guard let checkpoint else { return }
        let site = PostgresValue.int(self.siteID)
        let changed: Int
        if let expected = checkpoint.expected {
            changed = try connection.execute(
                """
                UPDATE smdr.journal_checkpoint SET loaded_offset = $3, updated_at = now()
                WHERE site_id = $1 AND stream = $2 AND loaded_offset = $4
                RETURNING 1
                """,
                [site, .text(checkpoint.stream), .int(checkpoint.offset), .int(expected)]
            ).count
        } else {
            changed = try connection.execute(
                """
                INSERT INTO smdr.journal_checkpoint (site_id, stream, loaded_offset) VALUES ($1, $2, $3)
                ON CONFLICT (site_id, stream) DO NOTHING
                RETURNING 1
                """,
                [site, .text(checkpoint.stream), .int(checkpoint.offset)]
            ).count
        }
        guard changed == 1 else {
            let stored = try Self.storedCheckpoint(site: self.siteID, stream: checkpoint.stream, connection)
            throw JournalCheckpointConflict(stream: checkpoint.stream, expected: checkpoint.expected, stored: stored)
        }
    }

    private static func storedCheckpoint(site: Int, stream: String, _ connection: PostgresConnection) throws -> Int64? {
        try connection.execute(
            "SELECT loaded_offset FROM smdr.journal_checkpoint WHERE site_id = $1 AND stream = $2",
            [.int(site), .text(stream)]
        ).first?[0].int.map(Int64.init)
    }

    public func checkpoint(stream: String) async throws -> Int64? {
        let siteID = self.siteID
        return try await self.store.withConnection { connection in
            try Self.storedCheckpoint(site: siteID, stream: stream, connection)
        }
    }

    /// Makes every batch committed so far durable (one synchronous commit flushes all WAL before
    /// it), and returns the checkpoint of `stream` as that commit saw it: the offset up to which
    /// loaded lines are now on disk (`nil` without a stream, or when it has none).
    ///
    /// Should PostgreSQL have lost asynchronous commits in a crash, the value is older than what
    /// the loader believes it committed; only lines before it may leave the journal.
    @discardableResult
    public func flush(stream: String? = nil) async throws -> Int64? {
        let siteID = self.siteID
        return try await self.store.withConnection { connection in
            try connection.withTransaction {
                try connection.execute("SET LOCAL synchronous_commit = on")
                try connection.execute("SELECT txid_current()")  // an xid makes COMMIT write and flush a commit record
                return try stream.flatMap { try Self.storedCheckpoint(site: siteID, stream: $0, connection) }
            }
        }
    }

    // MARK: - Columns

    static let rawColumns = [
        "site_id", "call_month", "sha256", "line", "received_at", "source_kind", "source_name", "source_position",
        "is_truncated", "parse_error", "parse_error_field", "parse_error_offset",
    ].joined(separator: ", ")

    /// `call_leg` columns in the order ``PreparedBatch/appendLeg`` encodes them (`leg_ordinal` comes last, separately).
    static let legColumnNames = [
        "site_id", "call_month", "raw_sha256", "call_start_local", "call_start", "time_ambiguous", "time_nonexistent",
        "connected_seconds", "ring_seconds", "caller", "caller_number", "caller_host", "direction", "called_number",
        "dialled_number", "account_code", "is_internal", "call_id", "is_continued", "party1_device", "party1_kind",
        "party1_number", "party1_name", "party2_device", "party2_kind", "party2_number", "party2_name", "hold_seconds",
        "park_seconds", "auth_valid", "auth_code", "user_charged", "call_charge", "currency",
        "amount_at_last_user_change", "call_units", "units_at_last_user_change", "cost_per_unit", "mark_up",
        "targeting_cause_targeter", "targeting_cause_reason", "targeter_id", "targeted_number",
        "calling_party_server_ip", "caller_unique_call_id", "called_party_server_ip", "called_unique_call_id",
        "record_time", "consent_directive", "calling_number_verification", "extra_fields", "field_count",
        "has_invalid_utf8", "call_start_without_seconds", "record_time_without_seconds", "non_binary_is_internal",
    ]
    static let legColumns = IngestWriter.legColumnNames.joined(separator: ", ")
}

/// A call: (Call ID, Call Start local) within a site.
package struct CallKey: Hashable, Sendable {
    var callID: Int
    var startLocal: String
}

/// A batch encoded for `COPY`, ready to load.
package struct PreparedBatch: Sendable {
    /// `read` and `rejected` are final; `new`/`duplicate` are filled in by the load.
    var counts = IngestCounts()
    var checkpoint: JournalCheckpoint?
    /// The rejected lines among the unique ones, with their SHA-256, in batch order.
    var rejections: [(digest: [UInt8], rejection: IngestRejection)] = []
    /// Lines after removing repeats within the batch: the rows of ``rawRows``.
    var uniqueLineCount = 0
    var months: Set<CallMonth> = []
    /// Binary: the server stores `bytea` without decoding hex.
    private var raw = CopyBinaryEncoder()
    /// Leg rows without `leg_ordinal` and newline, back to back; see ``legs``.
    private(set) var legBytes: [UInt8] = []
    private(set) var legs: [Leg] = []

    struct Leg: Sendable {
        var key: CallKey
        var month: CallMonth
        var range: Range<Int>
    }

    init(checkpoint: JournalCheckpoint?) {
        self.checkpoint = checkpoint
    }

    /// `raw_record` rows in binary `COPY` format, columns as ``IngestWriter/rawColumns``.
    var rawRows: [UInt8] { self.raw.bytes }

    /// Ends the raw rows; call once, after the last ``appendRaw``.
    mutating func finish() {
        self.raw.finish()
    }

    mutating func appendRaw(
        _ line: IngestLine,
        siteID: Int,
        month: CallMonth,
        digest: [UInt8],
        source: IngestSource,
        error: SMDRParseError?
    ) {
        self.raw.beginRow()
        self.raw.append(int32: Int32(siteID))
        self.raw.append(dateDaysSince1970: CivilTime.days(year: month.year, month: month.month, day: 1))
        self.raw.append(bytea: digest)
        self.raw.append(bytea: line.bytes)
        let microseconds = Int64((line.receivedAt.timeIntervalSince1970 * 1_000_000).rounded())
        self.raw.append(timestampMicrosecondsSince1970: microseconds)
        self.raw.append(source.kind.rawValue)
        self.raw.append(source.name)
        self.raw.append(int64: Int64(line.position))
        self.raw.append(line.isTruncated)
        self.raw.append(error?.code.description)
        let field: CallRecord.Field? = error?.field
        self.raw.append(int16: field.map { Int16($0.number) })
        self.raw.append(int32: error.map { Int32(clamping: $0.offset) })
        self.raw.endRow()
    }

    mutating func appendLeg(
        _ record: CallRecord,
        siteID: Int,
        month: CallMonth,
        digest: [UInt8],
        time: TimeZoneResolver.Resolution
    ) {
        var encoder = CopyTextEncoder()
        swap(&encoder.bytes, &self.legBytes)
        encoder.append(siteID)
        encoder.append(preformatted: month.description)
        encoder.append(bytea: digest)
        let startLocal = record.callStart.description
        encoder.append(preformatted: startLocal)
        encoder.append(preformatted: CivilTime.utcTimestamp(microseconds: time.epochSeconds * 1_000_000))
        encoder.append(time.isAmbiguous)
        encoder.append(time.isNonexistent)
        encoder.append(record.connectedSeconds)
        encoder.append(record.ringSeconds)
        encoder.append(record.caller)
        encoder.append(record.callerNumber)
        encoder.append(record.callerHost)
        encoder.append(record.direction.rawValue)
        encoder.append(record.calledNumber)
        encoder.append(record.dialledNumber)
        encoder.append(record.accountCode)
        encoder.append(record.isInternal)
        encoder.append(record.callID)
        encoder.append(record.isContinued)
        encoder.append(record.party1Device.code)
        encoder.append(record.party1Device.kind.rawValue)
        encoder.append(record.party1Device.number)
        encoder.append(record.party1Name)
        encoder.append(record.party2Device.code)
        encoder.append(record.party2Device.kind.rawValue)
        encoder.append(record.party2Device.number)
        encoder.append(record.party2Name)
        encoder.append(record.holdSeconds)
        encoder.append(record.parkSeconds)
        encoder.append(record.authValid)
        encoder.append(record.authCode)
        encoder.append(record.userCharged)
        encoder.append(record.callCharge?.description)
        encoder.append(record.currency)
        encoder.append(record.amountAtLastUserChange?.description)
        encoder.append(record.callUnits)
        encoder.append(record.unitsAtLastUserChange)
        encoder.append(record.costPerUnit)
        encoder.append(record.markUp?.description)
        encoder.append(record.targetingCause?.targeter)
        encoder.append(record.targetingCause?.reason)
        encoder.append(record.targeterID)
        encoder.append(record.targetedNumber)
        encoder.append(record.callingPartyServerIP)
        encoder.append(record.callerUniqueCallID)
        encoder.append(record.calledPartyServerIP)
        encoder.append(record.calledUniqueCallID)
        encoder.append(record.recordTime?.description)
        encoder.append(record.consentDirective)
        encoder.append(record.callingNumberVerification)
        encoder.append(array: record.extraFields)
        encoder.append(record.fieldCount)
        encoder.append(record.flags.contains(.invalidUTF8))
        encoder.append(record.flags.contains(.callStartWithoutSeconds))
        encoder.append(record.flags.contains(.recordTimeWithoutSeconds))
        encoder.append(record.flags.contains(.nonBinaryIsInternal))
        encoder.endRowWithoutTerminator()
        swap(&encoder.bytes, &self.legBytes)
        let start = self.legs.last?.range.upperBound ?? 0
        self.legs.append(
            Leg(key: CallKey(callID: record.callID, startLocal: startLocal), month: month, range: start..<self.legBytes.count)
        )
    }

    /// Appends leg row `leg` with `lastField` (the ordinal or batch position) and the newline.
    func appendLegRow(_ leg: Leg, lastField: Int, to rows: inout [UInt8]) {
        rows.append(contentsOf: self.legBytes[leg.range])
        rows.append(CopyText.tab)
        CopyText.appendInteger(lastField, to: &rows)
        rows.append(CopyText.newline)
    }
}
