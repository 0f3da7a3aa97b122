public import Foundation

/// A PBX whose SMDR is collected (`smdr.site`).
public struct Site: Hashable, Sendable {
    /// The name `smdr ingest` uses when `--site` is not given.
    public static let defaultName = "default"

    public var id: Int
    public var name: String
    /// IANA time zone of the PBX clock.
    public var timeZoneIdentifier: String

    public init(id: Int, name: String, timeZoneIdentifier: String) {
        self.id = id
        self.name = name
        self.timeZoneIdentifier = timeZoneIdentifier
    }

    /// The site's time zone.
    public func timeZone() throws -> TimeZone {
        guard let zone = TimeZone(identifier: self.timeZoneIdentifier) else {
            throw SiteError(message: "site \(self.name) has time zone \(self.timeZoneIdentifier), which this system does not know")
        }
        return zone
    }

    /// The site named `name`, or `nil`.
    public static func find(named name: String, on connection: PostgresConnection) throws -> Site? {
        let rows = try connection.execute("SELECT id, name, time_zone FROM smdr.site WHERE name = $1", [.text(name)])
        return rows.first.map { Site(id: $0[0].int!, name: $0[1].string!, timeZoneIdentifier: $0[2].string!) }
    }

    /// The site named `name`, created with `timeZoneIdentifier` if it does not exist yet (an
    /// existing site keeps its zone).
    public static func findOrCreate(
        named name: String,
        timeZoneIdentifier: String,
        on connection: PostgresConnection
    ) throws -> Site {
        if let site = try Self.find(named: name, on: connection) { return site }
        guard TimeZone(identifier: timeZoneIdentifier) != nil else {
            throw SiteError(message: "unknown time zone \(timeZoneIdentifier): use an IANA name such as Europe/London")
        }
        try connection.execute(
            "INSERT INTO smdr.site (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(timeZoneIdentifier)]
        )
        guard let site = try Self.find(named: name, on: connection) else {
            throw SiteError(message: "site \(name) could not be created")
        }
        return site
    }
}

/// A site is missing or misconfigured.
public struct SiteError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { self.message }
}
