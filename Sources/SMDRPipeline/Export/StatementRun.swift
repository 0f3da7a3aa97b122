package import SMDRCore
package import SMDRPostgres
package import SMDRReports

/// `smdr statement`: one client's statement for one month, read from one snapshot (its items and
/// totals agree, whatever a rating run switches meanwhile).
package struct StatementRun: Sendable {
    package var clientID: String
    /// First day of the month.
    package var month: LocalDate
    package var firm: Firm
    package var paper: Paper

    package init(clientID: String, month: LocalDate, firm: Firm, paper: Paper) {
        self.clientID = clientID
        self.month = month.firstOfMonth
        self.firm = firm
        self.paper = paper
    }

    /// The statement's content; throws ``UnknownClientError`` when the client is not registered.
    package func input(in store: PostgresStore) async throws -> StatementInput {
        let run = self
        return try await store.withConnection { connection in
            try ReportStore.withSnapshot(on: connection) {
                guard let name = try ReportStore.clientName(run.clientID, on: connection) else {
                    throw UnknownClientError(clientID: run.clientID)
                }
                var charges: [ExportCharge] = []
                let filter = ReportStore.ChargeFilter(from: run.month, to: run.month.lastOfMonth, clientID: run.clientID)
                try ReportStore.charges(filter, on: connection) { charges.append($0) }
                return StatementInput(
                    firm: run.firm, clientID: run.clientID, clientName: name, month: run.month,
                    closedOn: try ReportStore.closedOn(run.month, on: connection), charges: charges, paper: run.paper
                )
            }
        }
    }
}

/// A command named a client (or a matter of a client) the register does not have.
package struct UnknownClientError: Error, Hashable, Sendable, CustomStringConvertible {
    package var clientID: String
    /// The matter asked for, when the client exists but this matter does not.
    package var matterID: String?

    package init(clientID: String, matterID: String? = nil) {
        self.clientID = clientID
        self.matterID = matterID
    }

    package var description: String {
        if let matterID {
            return "matter '\(matterID)' is not registered for client '\(self.clientID)' (smdr register export codes lists them)"
        }
        return "client '\(self.clientID)' is not registered (smdr register export codes lists the clients)"
    }

    /// Throws when `filter` names a client or matter that is not registered: a typo should not
    /// look like a client without charges.
    static func check(_ filter: ReportStore.ChargeFilter, on connection: PostgresConnection) throws {
        guard let clientID = filter.clientID else { return }
        guard try ReportStore.clientName(clientID, on: connection) != nil else { throw UnknownClientError(clientID: clientID) }
        if let matterID = filter.matterID, !(try ReportStore.matterExists(matterID, client: clientID, on: connection)) {
            throw UnknownClientError(clientID: clientID, matterID: matterID)
        }
    }
}
