public import SMDRCore
public import SMDRPostgres

/// Reads the sites `smdr serve` collects for.
public enum SiteList {
    /// Reads the site list on a connection of its own, after checking the schema (and, with
    /// `migrateIfNeeded`, creating or updating it: no statement timeout applies here).
    public static func read(
        connection configuration: PostgresConnection.Configuration,
        migrateIfNeeded: Bool
    ) async throws -> [Site] {
        try await BlockingWork.run {
            let connection = try PostgresConnection(configuration: configuration)
            try Migrator.requireCurrent(connection, migrateIfNeeded: migrateIfNeeded)
            return try Site.all(on: connection)
        }
    }

    /// Reads the site list through `store` (the periodic refresh).
    public static func read(store: PostgresStore) async throws -> [Site] {
        try await store.withConnection { connection in
            try Migrator.requireCurrent(connection, migrateIfNeeded: false)
            return try Site.all(on: connection)
        }
    }

    /// Whether `error` means PostgreSQL cannot be reached now (rather than a wrong setting or
    /// schema): no connection, a connection lost, or a server starting or shutting down.
    public static func isUnreachable(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        if error.code == .connectionFailed || error.code == .connectionLost { return true }
        guard let state = error.sqlState?.rawValue else { return false }
        return state.hasPrefix("08") || state.hasPrefix("57P")
    }
}
