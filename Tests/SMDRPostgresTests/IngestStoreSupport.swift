import Foundation
import SMDRCore
import SMDRPostgres
import SMDRTestSupport

/// A hand-written SMDR line (17 fields) with the given call id and start.
func smdrLine(callID: Int = 1_000_014_155, start: String = "2024/06/28 09:28:41") -> [UInt8] {
    Array("\(start),00:01:10,9,8004206,I,4324,4324,,0,\(callID),0,E4324,Joe Bloggs,T9161,LINE 5.1,0,0".utf8)
}

/// Creates the site and an ingest store on `store`.
func makeWriter(_ store: PostgresStore, site: String = "default", timeZone: String = "Europe/London") async throws -> IngestStore {
    let site = try await store.withConnection { connection in
        try Site.findOrCreate(named: site, timeZoneIdentifier: timeZone, on: connection)
    }
    return try IngestStore(store: store, site: site)
}

extension IngestStore {
    /// Loads distinct lines as one batch, decided here by hand (the store decides nothing; the
    /// ingest stage's `IngestBatcher` is tested in SMDRPipelineTests).
    func write(_ lines: [[UInt8]], source: IngestSource) async throws -> IngestCounts {
        var batch = DecidedBatch(source: source)
        let receivedAt = Date(timeIntervalSince1970: 1_719_500_000)
        for (index, bytes) in lines.enumerated() {
            var line = DecidedLine(
                bytes: bytes, digest: SHA256.hash(bytes), month: CallMonth(line: bytes), position: Int64(index + 1),
                receivedAt: receivedAt, isTruncated: false, leg: nil, error: nil
            )
            do {
                let record = try SMDRParser().parse(bytes)
                // Call Start read as UTC: these tests are about storing, not about time zones.
                let start = record.callStart
                let days = CivilCalendar.days(year: start.year, month: start.month, day: start.day)
                let seconds = Int64(days) * 86_400 + Int64(start.hour * 3600 + start.minute * 60 + start.second)
                line.leg = DecidedLeg(record: record, time: ResolvedTime(epochSeconds: seconds, isAmbiguous: false, isNonexistent: false))
            } catch {
                line.error = error
                batch.counts.rejected += 1
            }
            batch.counts.read += 1
            batch.months.insert(line.month)
            batch.lines.append(line)
        }
        return try await self.load(self.encode(batch, checkpoint: nil))
    }
}
