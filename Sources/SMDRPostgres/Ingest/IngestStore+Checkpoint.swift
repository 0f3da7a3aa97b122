extension IngestStore {
    /// Compare-and-set: moves the checkpoint from `expected` to `offset`, or throws
    /// ``JournalCheckpointConflict`` (the caller's transaction then rolls back).
    func saveCheckpoint(_ checkpoint: JournalCheckpoint?, _ connection: PostgresConnection) throws {
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
}
