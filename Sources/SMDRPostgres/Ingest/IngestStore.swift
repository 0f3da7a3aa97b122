package import Foundation
public import SMDRCore
import Synchronization

/// Loads decided lines of one site (a ``DecidedBatch``) into `raw_record` and `call_leg`,
/// exactly once: it encodes them as `COPY` and loads them, and decides nothing about a line.
///
/// Used by `smdr ingest` for files and by the live loader for journaled lines, so files and
/// streams dedupe against each other: the key of a line is (site, SHA-256 of its bytes).
///
/// ## Loading behavior
/// - Every line is stored in `raw_record` byte for byte (``RawRecordRow``). A line that did
///   not parse, or was truncated at the line-length limit, is stored with its error (code,
///   field, offset) and gets no `call_leg`; a parsed one gets a ``CallLegRow``. Nothing is dropped.
/// - A batch is one transaction. It first takes a transaction-level advisory lock for the
///   site, so loads of one site are serialized: leg ordinals and checkpoints stay consistent.
///   Loads of different sites run in parallel.
/// - **Fast path:** `COPY` straight into `raw_record`, then into `call_leg`. If a line is
///   already stored, the unique key stops the `COPY` (SQLSTATE 23505); the transaction is
///   rolled back and the batch is redone on the **merge path**: `COPY` into temporary staging
///   tables, then `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` into `raw_record` and
///   legs for the new raw rows only, in one statement. After a batch with duplicates the store
///   stays on the merge path until a batch has none.
/// - Deadlocks and serialization failures retry the whole batch, up to
///   ``Configuration/maximumTransactionRetries`` times.
/// - A ``JournalCheckpoint`` given with a batch is set in the same transaction, as a
///   compare-and-set on the offset the batch starts from, so the loaded rows and the offset
///   commit together and never past a batch that was lost.
/// - Monthly partitions for the batch's months are created first, in their own short
///   transaction (`smdr.ensure_month_partitions`), never while holding the load's locks.
/// - `leg_ordinal` numbers a call's legs in load order, continuing after the legs already stored.
public final class IngestStore: Sendable {
    /// Limits and tuning of a store.
    public struct Configuration: Sendable {
        /// How often a batch is retried after a deadlock or serialization failure. Defaults to 5.
        public var maximumTransactionRetries = 5
        /// `COPY` data is sent in messages of this size. Defaults to 64 KiB.
        public var copyFlushThreshold = PostgresConnection.defaultCopyFlushThreshold
        /// Whether each batch's commit waits until its WAL is on disk (`synchronous_commit`).
        /// Defaults to `true`. With `false`, a crash can lose the last committed batches
        /// (rows and checkpoint together, so the store stays consistent); call
        /// ``IngestStore/flush(stream:)`` before relying on them, e.g. before discarding the input.
        /// `smdr ingest` uses `false` and flushes once at the end.
        public var waitsForDurableCommit = true

        public init() {}
    }

    public let store: PostgresStore
    public let site: Site
    /// The site's database key.
    let siteID: Int
    public let configuration: Configuration
    /// The site's time zone, which the lines of this store's batches are resolved with.
    package let timeZone: TimeZone
    private let state = Mutex(State())

    private struct State {
        var knownMonths: Set<CallMonth> = [.unparsed]
        var preferMerge = false
    }

    /// - Throws: ``SiteError`` if the site is not stored or its time zone is unknown here.
    public init(store: PostgresStore, site: Site, configuration: Configuration = Configuration()) throws {
        self.store = store
        self.site = site
        self.configuration = configuration
        self.siteID = try site.storedID()
        self.timeZone = try site.resolvedTimeZone()
    }

    // MARK: - Encoding (no database work)

    /// Encodes a decided batch as `COPY` payloads; the load then only sends them.
    ///
    /// - Parameter checkpoint: committed with the batch, when given.
    package func encode(_ batch: consuming DecidedBatch, checkpoint: JournalCheckpoint?) -> EncodedBatch {
        EncodedBatch(batch, siteID: self.siteID, checkpoint: checkpoint)
    }

    // MARK: - Loading

    /// Loads an encoded batch in one transaction (retrying transient failures).
    package func load(_ batch: EncodedBatch) async throws -> IngestCounts {
        try await self.loadReportingRejections(batch).counts
    }

    /// ``load(_:)``, also returning the rejected lines this load stored (not those stored before).
    package func loadReportingRejections(_ batch: EncodedBatch) async throws -> (counts: IngestCounts, rejections: [IngestRejection]) {
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
                    let delay = Self.transactionRetry.delay(afterFailures: attempt)
                    attempt += 1
                    usleep(UInt32(delay / .microseconds(1)))  // this is a store thread, not the cooperative pool
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

    /// The wait before retrying a batch after a deadlock or serialization failure: 10 ms,
    /// doubling, at most 160 ms (so five retries wait at most 310 ms on the store thread).
    static let transactionRetry = Backoff(initial: .milliseconds(10), maximum: .milliseconds(160))

    /// The advisory lock class (`'smld'`) of the per-site load lock.
    static let loadLockClass = 0x736D_6C64

    func beginLoad(_ connection: PostgresConnection) throws {
        if !self.configuration.waitsForDurableCommit {
            try connection.execute("SET LOCAL synchronous_commit = off")
        }
        try self.lockSite(connection)
    }

    private func fastLoad(_ batch: EncodedBatch, _ connection: PostgresConnection) throws -> Int {
        try connection.withTransaction {
            try self.beginLoad(connection)
            try self.copy(batch.rawRows, into: "smdr.raw_record (\(RawRecordRow.columnList))", format: "binary", connection)
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
                try self.copy(rows, into: "smdr.call_leg (\(CallLegRow.columnList))", format: "text", connection)
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
    private func existingOrdinals(_ batch: EncodedBatch, _ connection: PostgresConnection) throws -> [OrdinalGroup: Int] {
        var callsByMonth: [CallMonth: Set<OrdinalGroup>] = [:]
        for leg in batch.legs { callsByMonth[leg.month, default: []].insert(leg.key) }
        var ordinals: [OrdinalGroup: Int] = [:]
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
                ordinals[OrdinalGroup(callID: row[0].int!, startLocal: row[1].string!)] = row[2].int!
            }
        }
        return ordinals
    }

    /// `format`: `text` or `binary`.
    func copy(_ rows: [UInt8], into target: String, format: String, _ connection: PostgresConnection) throws {
        try connection.copyIn("COPY \(target) FROM STDIN (FORMAT \(format))", flushThreshold: self.configuration.copyFlushThreshold) { writer in
            try writer.write(encoded: rows)
        }
    }
}
