extension PostgresStore {
    /// How a command uses the database it opens.
    public enum Access: Sendable {
        /// Reads and writes: the embedded cluster is created, started and migrated on first use;
        /// another database must already have this smdr's schema (`smdr migrate`).
        case readWrite
        /// Only reads: the embedded cluster is never created, started or migrated
        /// (``NoDatabaseError``, exit 3, when it is missing or stopped).
        case readOnly
        /// `smdr migrate`: as ``readWrite``, but the schema is not checked: `body` applies it.
        case migrate
    }

    /// The one way commands open the store: opens the selected database (starting the embedded
    /// cluster when `access` allows), checks that it has this smdr's schema, runs `body`, and
    /// closes the store whatever happens.
    ///
    /// `statementTimeout` bounds each statement of `body`'s connections (a server's pages); the
    /// schema check, which may migrate the embedded cluster, runs on a connection without it.
    ///
    /// - Throws: ``SchemaMissingError`` when the database has no smdr schema or an older one;
    ///   ``NoDatabaseError``; ``PostgresError``; what `body` throws.
    public static func withOpened<T: Sendable>(
        _ selection: DatabaseSelection,
        access: Access = .readWrite,
        maximumConnections: Int = 4,
        statementTimeout: Duration? = nil,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let connection = try await access == .readOnly ? selection.prepareExisting() : selection.prepare()
        var configuration = PostgresStore.Configuration(connection: connection)
        configuration.maximumConnections = maximumConnections
        let migrateIfNeeded = access == .readWrite && selection.embeddedCluster != nil
        let checkSchema: @Sendable (PostgresStore) async throws -> Void = { store in
            try await store.withConnection { try Migrator.requireCurrent($0, migrateIfNeeded: migrateIfNeeded) }
        }
        if let statementTimeout {
            if access != .migrate {
                var unbounded = configuration
                unbounded.maximumConnections = 1
                try await PostgresStore.withStore(configuration: unbounded, checkSchema)
            }
            configuration.connection.statementTimeout = statementTimeout
            return try await PostgresStore.withStore(configuration: configuration, body)
        }
        return try await PostgresStore.withStore(configuration: configuration) { store in
            if access != .migrate { try await checkSchema(store) }
            return try await body(store)
        }
    }
}

/// The database has no smdr schema, or an older one.
public struct SchemaMissingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var databaseVersion: Int?

    public var description: String {
        if let version = self.databaseVersion {
            return "the database has smdr schema version \(version) and this smdr needs \(Schema.version): run `smdr migrate`"
        }
        return "the database has no smdr schema: run `smdr migrate` first"
    }
}
