#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SystemPackage

// What `posix_spawn` callers share: this module's `ChildProcess` and SMDRPipeline's
// `TimedChildProcess`.

/// Calls `body` with a NULL-terminated `char *[]` of `strings` (an `argv` or `envp`).
package func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
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
