import SMDRCore

extension IngestStore {
    /// Returns the lines stored and the SHA-256 (hex) of the rejected lines among them.
    func mergeLoad(_ batch: EncodedBatch, _ connection: PostgresConnection) throws -> (Int, Set<String>) {
        try connection.withTransaction {
            try self.beginLoad(connection)
            try connection.executeScript(
                """
                CREATE TEMP TABLE IF NOT EXISTS smdr_stage_raw (LIKE smdr.raw_record INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;
                CREATE TEMP TABLE IF NOT EXISTS smdr_stage_leg (LIKE smdr.call_leg) ON COMMIT DELETE ROWS;
                """
            )
            try self.copy(batch.rawRows, into: "pg_temp.smdr_stage_raw (\(RawRecordRow.columnList))", format: "binary", connection)
            if !batch.legs.isEmpty {
                // The staging leg_ordinal holds the leg's position in the batch.
                var rows: [UInt8] = []
                rows.reserveCapacity(batch.legBytes.count + batch.legs.count * 6)
                for (position, leg) in batch.legs.enumerated() {
                    batch.appendLegRow(leg, lastField: position + 1, to: &rows)
                }
                try self.copy(rows, into: "pg_temp.smdr_stage_leg (\(CallLegRow.columnList))", format: "text", connection)
            }
            let stagedLegColumns = CallLegRow.columns.map { "s." + $0.name }.joined(separator: ", ")
            let result = try connection.execute(
                """
                WITH new_raw AS (
                    INSERT INTO smdr.raw_record (\(RawRecordRow.columnList))
                    SELECT \(RawRecordRow.columnList) FROM pg_temp.smdr_stage_raw ORDER BY sha256
                    ON CONFLICT (site_id, call_month, sha256) DO NOTHING
                    RETURNING call_month, sha256, parse_error IS NOT NULL AS is_rejected
                ), new_leg AS (
                    INSERT INTO smdr.call_leg (\(CallLegRow.columnList))
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
}
