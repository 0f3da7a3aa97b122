package import Foundation
public import SMDRCore

extension Site {
    /// The site's time zone.
    ///
    /// - Throws: ``SiteError`` when this system does not know ``timeZone``.
    package func resolvedTimeZone() throws -> TimeZone {
        guard let zone = TimeZone(identifier: self.timeZone) else {
            throw SiteError(message: "site \(self.name) has time zone \(self.timeZone), which this system does not know")
        }
        return zone
    }

    /// The site's database key.
    ///
    /// - Throws: ``SiteError`` for a site not stored yet.
    package func storedID() throws -> Int {
        guard let id = self.id else { throw SiteError(message: "site \(self.name) is not stored in the database yet") }
        return id
    }

    /// The site `smdr ingest` loads into, and a notice for standard error when it was not
    /// named or was created.
    ///
    /// - No site at all yet (the zero-setup first run): the named site, or ``defaultName``, is
    ///   created in `timeZoneIdentifier`.
    /// - Otherwise the named site must exist; without a name, the only site is used, and with
    ///   several sites a name is required. A typo never creates a site.
    ///
    /// - Throws: ``SiteError`` naming `--site` and the known sites, or for an invalid name.
    public static func forIngest(
        named name: String?,
        timeZoneIdentifier: String,
        on connection: PostgresConnection
    ) throws -> (site: Site, notice: String?) {
        let known = try connection.execute("SELECT name FROM smdr.site ORDER BY name").compactMap { $0[0].string }
        if known.isEmpty {
            let name = name ?? Self.defaultName
            if let problem = SiteName.problem(with: name) { throw SiteError(message: "--site: \(problem)") }
            let site = try Self.findOrCreate(named: name, timeZoneIdentifier: timeZoneIdentifier, on: connection)
            return (
                site,
                "no site yet: created site '\(site.name)' with time zone \(site.timeZone); "
                    + "change it with smdr site set '\(site.name)' --time-zone ZONE before loading more"
            )
        }
        let list = known.map { "'\($0)'" }.joined(separator: ", ")
        guard let name else {
            guard known.count == 1, let site = try Self.named(known[0], on: connection) else {
                throw SiteError(message: "--site is required when there are several sites: give one of \(list)")
            }
            return (site, "no --site given: using the only site, '\(site.name)'")
        }
        guard let site = try Self.named(name, on: connection) else {
            throw SiteError(
                message: "--site '\(name)': no such site; known sites: \(list) (add a new one with smdr site add)"
            )
        }
        return (site, nil)
    }

    /// The site named `name`, created with `timeZoneIdentifier` if it does not exist yet (an
    /// existing site keeps its zone).
    public static func findOrCreate(
        named name: String,
        timeZoneIdentifier: String,
        on connection: PostgresConnection
    ) throws -> Site {
        if let site = try Self.named(name, on: connection) { return site }
        guard TimeZone(identifier: timeZoneIdentifier) != nil else {
            throw SiteError(message: "unknown time zone \(timeZoneIdentifier): use an IANA name such as Europe/London")
        }
        try connection.execute(
            "INSERT INTO smdr.site (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            [.text(name), .text(timeZoneIdentifier)]
        )
        guard let site = try Self.named(name, on: connection) else {
            throw SiteError(message: "site \(name) could not be created")
        }
        return site
    }
}
