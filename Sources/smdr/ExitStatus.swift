import SMDRPipeline

/// The exit statuses `smdr` documents.
enum ExitStatus {
    /// The command ran, but some input lines were rejected (they are reported, and stored where applicable).
    static let someRejected: Int32 = 1
    /// The command line was wrong, or named a file that cannot be read.
    static let usage: Int32 = 2
    /// A database operation failed.
    static let database: Int32 = 3
}

/// Writes a message straight to standard error.
enum FileDescriptorOutput {
    static func standardError(_ message: String) {
        let output = ByteOutput.standardError()
        output.write(message)
        output.flush()
    }

    static func standardOutput(_ message: String) {
        let output = ByteOutput.standardOutput()
        output.write(message)
        output.flush()
    }
}
