package import SMDRCore

/// Lines decided for loading: what ``IngestStore`` writes, and all it needs to know.
///
/// Made by `IngestBatcher` (SMDRPipeline), which parses each line once, keys it, reads its call
/// month, resolves its Call Start and drops repeats within the batch. The store only encodes
/// these rows as `COPY` and loads them; it decides nothing about a line.
package struct DecidedBatch: Sendable {
    package var source: IngestSource
    /// The unique lines, in input order.
    package var lines: [DecidedLine] = []
    /// `read` and `rejected` of every input line, repeats included; the load fills in the rest.
    package var counts = IngestCounts()
    /// The rejected lines by error code, repeats included (as ``counts``' `rejected`).
    package var rejectedByCode: [String: Int] = [:]
    /// The call months of ``lines``: the partitions the load needs.
    package var months: Set<CallMonth> = []

    package init(source: IngestSource) {
        self.source = source
    }
}
