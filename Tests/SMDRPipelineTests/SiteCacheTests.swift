import Foundation
import SMDRCore
import SMDRPipeline
import SMDRTestSupport
import Testing

/// `DATA/sites.json` lets `serve` start during a database outage, so a cache written by an
/// older smdr must still load after an upgrade.
struct SiteCacheTests {
    /// What smdr wrote before `Site` replaced `SiteRecord` (sorted keys, pretty-printed).
    static let writtenBySiteRecord = """
        [
          {
            "allowedPeers" : [
              "10.1.0.0/16",
              "192.0.2.7/32"
            ],
            "countryCode" : "44",
            "id" : 3,
            "internationalPrefix" : "00",
            "name" : "Main Office",
            "nationalPrefix" : "0",
            "timeZone" : "Europe/London",
            "trunkAccessCode" : "9"
          }
        ]
        """

    @Test func aCacheWrittenBeforeTheOneSiteTypeStillLoads() async throws {
        try await withTemporaryDirectory { directory in
            try Data(Self.writtenBySiteRecord.utf8).write(to: URL(fileURLWithPath: directory + "/sites.json"))
            let sites = await SiteCache.load(dataDirectory: directory)
            #expect(
                sites == [
                    Site(
                        id: 3, name: "Main Office", timeZone: "Europe/London", allowedPeers: ["10.1.0.0/16", "192.0.2.7/32"],
                        countryCode: "44", nationalPrefix: "0", internationalPrefix: "00", trunkAccessCode: "9"
                    )
                ]
            )
        }
    }

    @Test func savedSitesLoadAsTheyWere() async throws {
        try await withTemporaryDirectory { directory in
            let sites = [
                Site(id: 1, name: "hq", timeZone: "UTC"),
                Site(id: 2, name: "Zürich", timeZone: "Europe/Zurich", allowedPeers: ["2001:db8::/32"], countryCode: "41"),
            ]
            try await SiteCache.save(sites, dataDirectory: directory)
            #expect(await SiteCache.load(dataDirectory: directory) == sites)
            let text = try String(contentsOfFile: directory + "/sites.json", encoding: .utf8)
            for key in ["allowedPeers", "countryCode", "id", "internationalPrefix", "name", "nationalPrefix", "timeZone", "trunkAccessCode"] {
                #expect(text.contains("\"\(key)\" : "), "\(key): the keys the old SiteRecord wrote")
            }
        }
    }
}
