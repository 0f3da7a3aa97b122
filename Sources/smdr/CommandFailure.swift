import ArgumentParser

/// A failure a command names itself, with the status of ``ExitStatus``: usage (2), database (3)
/// or failure (4).
enum CommandFailure: Error {
    case usage(String)
    case database(String)
    case failure(String)

    /// Prints `smdr: error: MESSAGE` to standard error and returns the status ``ExitStatus``'s
    /// table gives the error.
    static func exit(for error: any Error) -> ExitCode {
        let (message, status) = ExitStatus.classify(error)
        FileDescriptorOutput.standardError("smdr: error: \(message)\n")
        return ExitCode(status)
    }
}
