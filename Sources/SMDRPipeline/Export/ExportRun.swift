package import SMDRPostgres
package import SMDRReports

/// `smdr export`: the charges of a period, of a client or matter when asked, in one format,
/// streamed from one snapshot to the output (memory stays flat however many there are).
package struct ExportRun: Sendable {
    package var format: ExportFormat
    package var filter: ReportStore.ChargeFilter
    package var period: ExportPeriod
    package var firm: Firm

    package init(format: ExportFormat, filter: ReportStore.ChargeFilter, period: ExportPeriod, firm: Firm) {
        self.format = format
        self.filter = filter
        self.period = period
        self.firm = firm
    }

    /// What was written.
    package struct Summary: Sendable, Hashable {
        /// Charges read.
        package var charges: Int
        /// Distinct client, matter and currency groups: the invoices of a LEDES file.
        package var invoices: Int
        /// The reader went away (a closed pipe) before the end: not an error.
        package var stoppedEarly: Bool
    }

    /// Bytes the writers' output collects before it goes to the output: 256 KiB.
    static let chunkBytes = 256 * 1024

    /// Writes the export to `destination`; a file is replaced only when the whole export is written.
    package func run(in store: PostgresStore, to destination: OutputDestination) async throws -> Summary {
        let run = self
        return try await store.withConnection { connection in
            try UnknownClientError.check(run.filter, on: connection)
            return try destination.write { output in
                try ReportStore.withSnapshot(on: connection) { try run.write(on: connection, to: output) }
            }
        }
    }

    private func write(on connection: PostgresConnection, to output: ByteOutput) throws -> Summary {
        var writer = self.format.writer(firm: self.firm, period: self.period)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.chunkBytes + 64 * 1024)
        writer.start(into: &bytes)
        var invoices = 0
        var group: (client: String, matter: String?, currency: String)?
        var stoppedEarly = false
        let charges: Int
        do {
            charges = try ReportStore.charges(self.filter, on: connection) { charge in
                if group == nil || group! != (charge.clientID, charge.matterID, charge.currency) {
                    invoices += 1
                    group = (charge.clientID, charge.matterID, charge.currency)
                }
                try writer.append(charge, into: &bytes)
                if bytes.count >= Self.chunkBytes {
                    output.write(bytes: bytes)
                    bytes.removeAll(keepingCapacity: true)
                    if output.isClosed { throw OutputClosed() }
                }
            }
        } catch is OutputClosed {
            return Summary(charges: 0, invoices: invoices, stoppedEarly: true)
        }
        try writer.finish(into: &bytes)
        output.write(bytes: bytes)
        stoppedEarly = output.isClosed
        return Summary(charges: charges, invoices: invoices, stoppedEarly: stoppedEarly)
    }

    /// The reader of standard output has gone: stop reading charges.
    private struct OutputClosed: Error {}
}
