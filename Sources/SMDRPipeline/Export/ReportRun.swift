package import SMDRCore
package import SMDRPostgres
package import SMDRReports

/// `smdr report`: the period's billed hours and amounts per client, matter, timekeeper and day,
/// and what is not billed yet, from one snapshot.
package struct ReportRun: Sendable {
    package var from: LocalDate
    package var to: LocalDate
    package var firm: Firm

    package init(from: LocalDate, to: LocalDate, firm: Firm) {
        self.from = from
        self.to = to
        self.firm = firm
    }

    package func report(in store: PostgresStore) async throws -> BillingReport {
        let run = self
        return try await store.withConnection { connection in
            try ReportStore.withSnapshot(on: connection) {
                try ReportStore.report(firm: run.firm, from: run.from, to: run.to, on: connection)
            }
        }
    }
}
