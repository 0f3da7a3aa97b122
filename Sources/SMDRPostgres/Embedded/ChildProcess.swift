#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with `posix_spawn` and `waitpid` (blocking).
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit()` can wait forever for a
/// child that has exited when called from a thread-pool thread, which is where smdr runs it.
package enum ChildProcess {
    /// The most output kept from a program (its tail); more is read and discarded. 1 MiB.
    package static let maximumOutputBytes = 1 << 20

    /// Runs `executable` with `arguments`; stdout and stderr are collected together, stdin is `/dev/null`.
    ///
    /// - Parameter environment: the child's environment as `NAME=value` strings.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String]
    ) throws -> (status: Int32, output: String) {
        // Keep both ends out of other children spawned meanwhile (the dup2'd copies stay open).
        guard let (readEnd, writeEnd) = closeOnExecPipe() else { throw Self.error("pipe", executable) }
        let (pid, status) = spawnWithOutput(executable, arguments, environment: environment, output: writeEnd)
        close(writeEnd)
        guard status == 0 else {
            close(readEnd)
            errno = status
            throw Self.error("spawn", executable)
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
                if output.count > Self.maximumOutputBytes { output.removeFirst(output.count - Self.maximumOutputBytes) }
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(readEnd)
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) == -1 {
            guard errno == EINTR else { throw Self.error("wait for", executable) }
        }
        // WIFEXITED / WEXITSTATUS; a signal-terminated child reports 128 + signal like a shell.
        let exitStatus: Int32 = (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
        return (exitStatus, String(decoding: output, as: UTF8.self))
    }

    private static func error(_ action: String, _ executable: String) -> EmbeddedClusterError {
        EmbeddedClusterError(message: "could not \(action) \(executable): \(String(cString: strerror(errno)))", output: "")
    }
}
