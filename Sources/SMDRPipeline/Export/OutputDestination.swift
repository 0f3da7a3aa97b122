/// Where a command's output goes: standard output, or a file replaced whole when done
/// (``OutputFile``).
package enum OutputDestination: Sendable, Hashable {
    case standardOutput
    case file(String)

    /// `-` or no path: standard output.
    package init(path: String?) {
        if let path, path != "-" { self = .file(path) } else { self = .standardOutput }
    }

    /// How messages name it.
    package var name: String {
        switch self {
        case .standardOutput: "standard output"
        case .file(let path): path
        }
    }

    /// Runs `body` with the output, then commits the file (or flushes standard output); if
    /// `body` throws, the file is removed and the error rethrown. Blocking: call it on a thread
    /// that may block (a store's connection thread, ``BlockingWork``).
    package func write<T>(_ body: (ByteOutput) throws -> T) throws -> T {
        switch self {
        case .standardOutput:
            let output = ByteOutput.standardOutput()
            let value = try body(output)
            try output.finish()
            return value
        case .file(let path):
            let file = try OutputFile(path: path)
            do {
                let value = try body(file.output)
                try file.commit()
                return value
            } catch {
                file.abort()
                throw error
            }
        }
    }
}
