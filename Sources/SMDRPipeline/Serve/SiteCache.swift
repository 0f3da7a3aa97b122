import Foundation
public import SMDRCore
import SMDRPostgres

/// The site list of the last successful read from PostgreSQL, kept in the data directory
/// (`DATA/sites.json`), so that `smdr serve` started during a database outage still knows which
/// peers to accept and journal for.
///
/// It is a cache, never the source of truth: the database's list replaces it as soon as
/// PostgreSQL answers. Reads and writes run on the blocking thread pool.
public enum SiteCache {
    static let fileName = "sites.json"

    /// The sites saved last, or `nil` when there is no cache or it cannot be read.
    public static func load(dataDirectory: String) async -> [Site]? {
        try? await BlockingWork.run {
            let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + Self.fileName))
            return try JSONDecoder().decode([Site].self, from: data)
        }
    }

    /// Saves `sites`, replacing the cache atomically.
    public static func save(_ sites: [Site], dataDirectory: String) async throws {
        try await BlockingWork.run {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let data = try encoder.encode(sites)
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: dataDirectory + "/" + Self.fileName), options: .atomic)
        }
    }
}
