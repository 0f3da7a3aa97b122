import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// The web app's store: a page's query cannot run for ever (`statement_timeout`), while the
/// schema check before it is not bounded.
@Suite struct WebServerStoreTests {
    @Test func theWebStoresConnectionsHaveTheStatementTimeout() async throws {
        try await TestDatabase.withDatabase { database in
            let configuration = WebServer.storeConfiguration(connection: PostgresConnection.Configuration(conninfo: database.conninfo))
            #expect(configuration.maximumConnections == WebServer.databaseConnections)
            try await PostgresStore.withStore(configuration: configuration) { store in
                let shown = try await store.withConnection { try $0.execute("SHOW statement_timeout")[0][0].string }
                #expect(shown == "\(WebServer.statementTimeout.components.seconds)s")
            }
            // smdr web's way: opened (its schema checked) with a timeout only for what follows.
            let selection = DatabaseSelection.resolve(databaseOption: database.conninfo, dataDirectoryOption: nil, environment: [:])
            try await PostgresStore.withOpened(selection, statementTimeout: .milliseconds(200)) { store in
                let error = await #expect(throws: PostgresError.self) {
                    try await store.withConnection { try $0.execute("SELECT pg_sleep(2)") }
                }
                #expect(error?.sqlState == SQLState(rawValue: "57014"))
            }
        }
    }
}
