import SMDRPipeline
import SMDRPostgres

/// Writing a command's whole output (a page, a report) where it goes.
enum CommandOutput {
    /// Writes `bytes` whole (a file is replaced only once written) on a thread that may block.
    static func write(_ bytes: [UInt8], to destination: OutputDestination) async throws {
        try await BlockingWork.run { try destination.write { $0.write(bytes: bytes) } }
    }
}
