package import SMDRJournal

/// Runs the journal's writer around `body`, then stops it (flushing what is queued).
package func withRunningJournal<T: Sendable>(_ journal: Journal, _ body: (Journal) async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await journal.run() }
        let result = try await body(journal)
        group.cancelAll()
        try await group.waitForAll()
        return result
    }
}

/// Reads every durable entry from `offset` to the end.
package func readAll(_ journal: Journal, from offset: Int64? = nil, maximumCount: Int = 1000) async throws -> [JournalEntry] {
    var entries: [JournalEntry] = []
    var position = offset ?? journal.startOffset
    while true {
        let batch = try await journal.read(from: position, maximumCount: maximumCount)
        if batch.entries.isEmpty { return entries }
        entries += batch.entries
        position = batch.nextOffset
    }
}
