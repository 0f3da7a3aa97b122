import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRSimulation
import SMDRTestSupport
import Testing

/// A hand-written SMDR line (17 fields) with the given call id, start and party 1 name.
func smdrLine(
    callID: Int = 1_000_014_155,
    start: String = "2024/06/28 09:28:41",
    name: String = "Joe Bloggs",
    continued: Bool = false,
    account: String = ""
) -> [UInt8] {
    Array("\(start),00:01:10,9,8004206,I,4324,4324,\(account),0,\(callID),\(continued ? 1 : 0),E4324,\(name),T9161,LINE 5.1,0,0".utf8)
}

func ingestLines(_ lines: [[UInt8]], receivedAt: Date = Date(timeIntervalSince1970: 1_719_500_000)) -> [IngestLine] {
    lines.enumerated().map { IngestLine(bytes: $1, position: Int64($0 + 1), receivedAt: receivedAt) }
}

/// Creates the site and an ingest store on `store`.
func makeWriter(
    _ store: PostgresStore,
    site: String = "default",
    timeZone: String = "Europe/London",
    configuration: IngestStore.Configuration = IngestStore.Configuration()
) async throws -> IngestStore {
    let site = try await store.withConnection { connection in
        try Site.findOrCreate(named: site, timeZoneIdentifier: timeZone, on: connection)
    }
    return try IngestStore(store: store, site: site, configuration: configuration)
}

extension IngestStore {
    /// Decides `lines` with ``IngestBatcher`` and loads them, in order, as one or more
    /// transactions split at the batch limits (what the drivers do).
    ///
    /// - Parameter checkpoint: committed with the last transaction, when given.
    func write(
        _ lines: [IngestLine],
        source: IngestSource,
        checkpoint: JournalCheckpoint? = nil,
        batchLines: Int = 5000,
        batchBytes: Int = 8 << 20
    ) async throws -> IngestCounts {
        let batcher = IngestBatcher(timeZone: self.timeZone)
        var counts = IngestCounts()
        var start = 0
        repeat {
            var end = start
            var bytes = 0
            while end < lines.count, end - start < batchLines,
                end == start || bytes + lines[end].bytes.count <= batchBytes
            {
                bytes += lines[end].bytes.count
                end += 1
            }
            let batch = batcher.batch(lines[start..<end], source: source)
            counts += try await self.load(self.encode(batch, checkpoint: end == lines.count ? checkpoint : nil))
            start = end
        } while start < lines.count
        return counts
    }
}

func count(_ store: PostgresStore, _ sql: String) async throws -> Int {
    try await store.withConnection { try $0.execute(sql)[0][0].int! }
}

/// Writes `bytes` to a new temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-ingest-\(UUID().uuidString).txt").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func generatedStream(lines: Int, seed: UInt64 = 7) -> [UInt8] {
    var generator = StreamGenerator(seed: seed, width: 35)
    var stream: [UInt8] = []
    generator.write(lines: lines, into: &stream)
    return stream
}
