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
        /// Charges written (up to the stop when ``stoppedEarly``).
        package var charges: Int
        /// Invoices written, for a format that has them (LEDES); `nil` otherwise.
        package var invoices: Int?
        /// Charges whose calls were not all found (`calls` says more than are listed): their
        /// external parties and per-call minutes are missing from the output.
        package var chargesMissingCalls: Int
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
        var summary = Summary(charges: 0, invoices: nil, chargesMissingCalls: 0, stoppedEarly: false)
        do {
            try ReportStore.charges(self.filter, on: connection) { charge in
                if charge.calls.count < charge.callCount { summary.chargesMissingCalls += 1 }
                try writer.append(charge, into: &bytes)
                summary.charges += 1
                if bytes.count >= Self.chunkBytes {
                    output.write(bytes: bytes)
                    bytes.removeAll(keepingCapacity: true)
                    // A closed pipe or a failed write (a full disk): stop reading charges.
                    if output.hasEnded { throw OutputEnded() }
                }
            }
        } catch is OutputEnded {
            summary.stoppedEarly = output.isClosed
            summary.invoices = writer.invoicesWritten
            return summary
        }
        try writer.finish(into: &bytes)
        output.write(bytes: bytes)
        summary.stoppedEarly = output.isClosed
        summary.invoices = writer.invoicesWritten
        return summary
    }

    /// The output takes no more bytes: stop reading charges (a write error surfaces when the
    /// output is finished).
    private struct OutputEnded: Error {}
}
