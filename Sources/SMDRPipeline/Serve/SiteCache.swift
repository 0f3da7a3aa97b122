import Foundation
public import SMDRPostgres

/// The site list of the last successful read from PostgreSQL, kept in the data directory
/// (`DATA/sites.json`), so that `smdr serve` started during a database outage still knows which
/// peers to accept and journal for.
///
/// It is a cache, never the source of truth: the database's list replaces it as soon as
/// PostgreSQL answers. Reads and writes run on the blocking thread pool.
public enum SiteCache {
    static let fileName = "sites.json"

    /// The sites saved last, or `nil` when there is no cache or it cannot be read.
    public static func load(dataDirectory: String) async -> [SiteRecord]? {
        try? await BlockingWork.run {
            let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + Self.fileName))
            return try JSONDecoder().decode([Entry].self, from: data).map(\.record)
        }
    }

    /// Saves `sites`, replacing the cache atomically.
    public static func save(_ sites: [SiteRecord], dataDirectory: String) async throws {
        try await BlockingWork.run {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(sites.map(Entry.init))
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: dataDirectory + "/" + Self.fileName), options: .atomic)
        }
    }

    /// The stored form of a ``SiteRecord``.
    private struct Entry: Codable {
        var id: Int?
        var name: String
        var timeZone: String
        var allowedPeers: [String]
        var countryCode: String
        var nationalPrefix: String
        var internationalPrefix: String
        var trunkAccessCode: String

        init(_ record: SiteRecord) {
            self.id = record.id
            self.name = record.name
            self.timeZone = record.timeZone
            self.allowedPeers = record.allowedPeers
            self.countryCode = record.countryCode
            self.nationalPrefix = record.nationalPrefix
            self.internationalPrefix = record.internationalPrefix
            self.trunkAccessCode = record.trunkAccessCode
        }

        var record: SiteRecord {
            SiteRecord(
                id: self.id, name: self.name, timeZone: self.timeZone, allowedPeers: self.allowedPeers,
                countryCode: self.countryCode, nationalPrefix: self.nationalPrefix,
                internationalPrefix: self.internationalPrefix, trunkAccessCode: self.trunkAccessCode
            )
        }
    }
}
