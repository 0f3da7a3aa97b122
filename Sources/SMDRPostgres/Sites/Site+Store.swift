import Foundation
public import SMDRCore

/// Reading and writing `smdr.site`.
extension Site {
    private static let columns = """
        id, name, time_zone, array_to_string(allowed_peers::text[], ','), country_code, national_prefix, \
        international_prefix, trunk_access_code
        """

    /// Every site, by name.
    public static func all(on connection: PostgresConnection) throws -> [Site] {
        try connection.execute("SELECT \(Self.columns) FROM smdr.site ORDER BY name").map(Self.init(row:))
    }

    /// The site named `name`, or `nil`.
    public static func named(_ name: String, on connection: PostgresConnection) throws -> Site? {
        try connection.execute("SELECT \(Self.columns) FROM smdr.site WHERE name = $1", [.text(name)]).first.map(Self.init(row:))
    }

    /// Creates the site; returns `nil`, changing nothing, when a site of that name exists.
    ///
    /// - Throws: ``SiteError`` for an invalid name or an unknown time zone; ``PostgresError``
    ///   for values the schema rejects (a malformed CIDR, a dial-plan prefix with letters).
    public func insert(on connection: PostgresConnection) throws -> Site? {
        try self.check()
        try self.checkNetworksAreOwn(on: connection)
        let rows = try connection.execute(
            """
            INSERT INTO smdr.site (name, time_zone, allowed_peers, country_code, national_prefix,
                                   international_prefix, trunk_access_code)
            VALUES ($1, $2, $3::cidr[], $4, $5, $6, $7)
            ON CONFLICT (name) DO NOTHING
            RETURNING \(Self.columns)
            """,
            self.settingParameters
        )
        return rows.first.map(Self.init(row:))
    }

    /// Writes every setting of the existing site of this name; returns `nil` when there is none.
    ///
    /// - Throws: as ``insert(on:)``.
    public func update(on connection: PostgresConnection) throws -> Site? {
        try self.check()
        try self.checkNetworksAreOwn(on: connection)
        let rows = try connection.execute(
            """
            UPDATE smdr.site SET time_zone = $2, allowed_peers = $3::cidr[], country_code = $4,
                national_prefix = $5, international_prefix = $6, trunk_access_code = $7
            WHERE name = $1
            RETURNING \(Self.columns)
            """,
            self.settingParameters
        )
        return rows.first.map(Self.init(row:))
    }

    /// Number of call legs stored for the site named `name`.
    public static func legCount(named name: String, on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            "SELECT count(*) FROM smdr.call_leg WHERE site_id = (SELECT id FROM smdr.site WHERE name = $1)", [.text(name)]
        )[0][0].int ?? 0
    }

    /// A network may be allowed for one site only (`smdr serve` could not tell whose a peer is):
    /// throws ``SiteError`` naming the other site.
    private func checkNetworksAreOwn(on connection: PostgresConnection) throws {
        guard !self.allowedPeers.isEmpty else { return }
        let rows = try connection.execute(
            """
            SELECT s.name, p::text FROM smdr.site AS s CROSS JOIN LATERAL unnest(s.allowed_peers) AS p
            WHERE s.name <> $1 AND p = ANY ($2::cidr[]) ORDER BY 1, 2 LIMIT 1
            """,
            [.text(self.name), .text("{" + self.allowedPeers.joined(separator: ",") + "}")]
        )
        if let row = rows.first, let other = row[0].string, let network = row[1].string {
            throw SiteError(
                message: "--allow \(network): already allowed for site '\(other)'; a network belongs to one site "
                    + "(a more specific network inside it may belong to another)"
            )
        }
    }

    private func check() throws {
        if let problem = SiteName.problem(with: self.name) { throw SiteError(message: problem) }
        guard TimeZone(identifier: self.timeZone) != nil else {
            throw SiteError(message: "unknown time zone '\(self.timeZone)': use an IANA name such as Europe/London")
        }
    }

    private var settingParameters: [PostgresValue] {
        [
            .text(self.name), .text(self.timeZone), .text("{" + self.allowedPeers.joined(separator: ",") + "}"),
            .text(self.countryCode), .text(self.nationalPrefix), .text(self.internationalPrefix),
            .text(self.trunkAccessCode),
        ]
    }

    /// Creates the site, or updates every setting of the existing site of that name.
    ///
    /// - Throws: ``SiteError`` for an unknown time zone; ``PostgresError`` for values the
    ///   schema rejects (a malformed CIDR, a dial-plan prefix with letters).
    @discardableResult
    public func save(on connection: PostgresConnection) throws -> Site {
        try self.check()
        let rows = try connection.execute(
            """
            INSERT INTO smdr.site (name, time_zone, allowed_peers, country_code, national_prefix,
                                   international_prefix, trunk_access_code)
            VALUES ($1, $2, $3::cidr[], $4, $5, $6, $7)
            ON CONFLICT (name) DO UPDATE SET
                time_zone = excluded.time_zone, allowed_peers = excluded.allowed_peers,
                country_code = excluded.country_code, national_prefix = excluded.national_prefix,
                international_prefix = excluded.international_prefix, trunk_access_code = excluded.trunk_access_code
            RETURNING \(Self.columns)
            """,
            self.settingParameters
        )
        return Self(row: rows[0])
    }

    /// Deletes the site named `name`; returns whether it existed.
    ///
    /// - Throws: ``PostgresError`` (foreign-key violation) when records of the site are stored.
    public static func remove(named name: String, on connection: PostgresConnection) throws -> Bool {
        !(try connection.execute("DELETE FROM smdr.site WHERE name = $1 RETURNING id", [.text(name)]).isEmpty)
    }

    private init(row: PostgresRow) {
        let peers = row[3].string ?? ""
        self.init(
            id: row[0].int,
            name: row[1].string ?? "",
            timeZone: row[2].string ?? "",
            allowedPeers: peers.isEmpty ? [] : peers.split(separator: ",").map(String.init),
            countryCode: row[4].string ?? "",
            nationalPrefix: row[5].string ?? "",
            internationalPrefix: row[6].string ?? "",
            trunkAccessCode: row[7].string ?? ""
        )
    }
}
