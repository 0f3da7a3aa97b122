import SMDRPipeline

/// The one way commands write to standard error and, for short messages, standard output.
enum FileDescriptorOutput {
    /// Writes `message` straight to standard error.
    static func standardError(_ message: String) {
        let output = ByteOutput.standardError()
        output.write(message)
        output.flush()
    }

    /// Writes `message` to standard output; a write error other than a closed pipe throws
    /// (exit 4), so a full disk is never a silent success.
    static func standardOutput(_ message: String) throws {
        let output = ByteOutput.standardOutput()
        output.write(message)
        try output.finish()
    }
}
