/// Applies ``Schema`` to a database: `smdr migrate`.
///
/// The whole schema (the files of `schema/`, in name order) runs in one transaction while
/// holding a transaction-level advisory lock, so concurrent migrations of one database queue up rather than interleave. Every
/// statement in it is idempotent, so migrating an up-to-date database changes nothing.
public enum Migrator {
    /// The advisory lock key (`'smdr'` in ASCII) held while migrating.
    static let advisoryLockKey = 0x736D_6472

    /// The outcome of ``migrate(_:)``.
    public struct Outcome: Hashable, Sendable {
        /// The version before, `nil` for a database without the smdr schema.
        public var previousVersion: Int?
        /// The version now.
        public var currentVersion: Int

        public init(previousVersion: Int?, currentVersion: Int) {
            self.previousVersion = previousVersion
            self.currentVersion = currentVersion
        }
    }

    /// Brings the database up to ``Schema/version``.
    ///
    /// - Throws: ``PostgresError``; ``MigrationError`` if the database is newer than this smdr.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection) throws -> Outcome {
        try connection.withTransaction {
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(Self.advisoryLockKey)])
            let previous = try Self.version(connection)
            if let previous, previous > Schema.version {
                throw MigrationError(databaseVersion: previous, supportedVersion: Schema.version)
            }
            try connection.executeScript(Schema.sql)
            guard let current = try Self.version(connection) else {
                throw MigrationError(databaseVersion: nil, supportedVersion: Schema.version)
            }
            return Outcome(previousVersion: previous, currentVersion: current)
        }
    }

    /// Checks that the database has this smdr's schema; with `migrateIfNeeded`, creates or
    /// updates it when it has none or an older one.
    ///
    /// - Throws: ``MigrationError`` for a newer schema, ``SchemaMissingError`` for a missing or
    ///   older one without `migrateIfNeeded`.
    public static func requireCurrent(_ connection: PostgresConnection, migrateIfNeeded: Bool) throws {
        let version = try Self.version(connection)
        if version == Schema.version { return }
        if let version, version > Schema.version {
            throw MigrationError(databaseVersion: version, supportedVersion: Schema.version)
        }
        guard migrateIfNeeded else { throw SchemaMissingError(databaseVersion: version) }
        try Self.migrate(connection)
    }

    /// The schema version of the database, `nil` if it has no smdr schema.
    public static func version(_ connection: PostgresConnection) throws -> Int? {
        let exists = try connection.execute("SELECT to_regclass('smdr.schema_version') IS NOT NULL")
        guard exists.first?[0].bool == true else { return nil }
        let rows = try connection.execute("SELECT max(version) FROM smdr.schema_version")
        return rows.first?[0].int
    }
}

/// The database's schema does not match this build of smdr.
public struct MigrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The version found, `nil` if none.
    public var databaseVersion: Int?
    /// ``Schema/version``.
    public var supportedVersion: Int

    public init(databaseVersion: Int?, supportedVersion: Int) {
        self.databaseVersion = databaseVersion
        self.supportedVersion = supportedVersion
    }

    public var description: String {
        if let databaseVersion {
            return "the database has smdr schema version \(databaseVersion), newer than this smdr supports "
                + "(\(supportedVersion)): upgrade smdr"
        }
        return "the smdr schema is missing after migrating; expected version \(self.supportedVersion)"
    }
}
