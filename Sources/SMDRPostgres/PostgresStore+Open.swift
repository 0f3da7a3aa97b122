extension PostgresStore {
    /// Opens a store on the selected database, starting the embedded cluster if that is the
    /// selection, and checks that the database has this smdr's schema.
    ///
    /// - Parameter migrateIfNeeded: apply ``Schema`` when the database has no smdr schema or
    ///   an older one (`smdr ingest` does this for the embedded cluster, so a first run needs
    ///   no setup); otherwise such a database is an error telling to run `smdr migrate`.
    /// - Parameter existingOnly: for commands that only read: never create or start the
    ///   embedded cluster (``DatabaseSelection/prepareExisting()``; throws ``NoDatabaseError``).
    public static func open(
        _ selection: DatabaseSelection,
        maximumConnections: Int = 4,
        migrateIfNeeded: Bool,
        existingOnly: Bool = false
    ) async throws -> PostgresStore {
        let connection = try await existingOnly ? selection.prepareExisting() : selection.prepare()
        var configuration = PostgresStore.Configuration(connection: connection)
        configuration.maximumConnections = maximumConnections
        let store = PostgresStore(configuration: configuration)
        do {
            try await store.withConnection { try Migrator.requireCurrent($0, migrateIfNeeded: migrateIfNeeded) }
            return store
        } catch {
            try? await store.close()
            throw error
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
