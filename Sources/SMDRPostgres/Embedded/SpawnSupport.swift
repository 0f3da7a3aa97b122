#if canImport(Glibc)
package import Glibc
#elseif canImport(Musl)
package import Musl
#elseif canImport(Darwin)
package import Darwin
#endif
import SystemPackage

// What `posix_spawn` callers share: this module's `ChildProcess` and SMDRPipeline's
// `TimedChildProcess`.

/// Calls `body` with a NULL-terminated `char *[]` of `strings` (an `argv` or `envp`).
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// Starts `executable` with `arguments` and `environment` (`NAME=value` strings), standard input
/// from `/dev/null` and standard output and error both on `output`, with `attributes` if given.
///
/// - Returns: the child's process id, and `posix_spawn`'s status (0, or an `errno` value).
package func spawnWithOutput(
    _ executable: String, _ arguments: [String], environment: [String], output: Int32,
    attributes: UnsafePointer<posix_spawnattr_t>? = nil
) -> (pid: pid_t, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, output, 2)
    var pid: pid_t = 0
    let status = withCStrings([executable] + arguments) { argv in
        withCStrings(environment) { envp in posix_spawn(&pid, executable, &actions, attributes, argv, envp) }
    }
    return (pid, status)
}

/// A pipe whose two ends are close-on-exec from the moment they exist (`pipe2(O_CLOEXEC)`), so
/// a child another thread spawns meanwhile cannot inherit them and hold the pipe open; `pipe`
/// then `fcntl(FD_CLOEXEC)` leaves that window. A spawned child's `dup2`'d copies stay open.
///
/// - Returns: the two ends, or `nil` with `errno` set.
package func closeOnExecPipe() -> (readEnd: Int32, writeEnd: Int32)? {
    #if canImport(Darwin)
    // Darwin has pipe2 only from macOS 27: there the window stays.
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return nil }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    return (fds[0], fds[1])
    #else
    do {
        let (readEnd, writeEnd) = try FileDescriptor.pipe(options: .closeOnExec)
        return (readEnd.rawValue, writeEnd.rawValue)
    } catch {
        errno = error.rawValue
        return nil
    }
    #endif
}
