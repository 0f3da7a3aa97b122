import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a lock file, held until ``release()`` (or deinit) or the end of the
/// process: the kernel drops it on any exit, `kill -9` included, so a restart after a crash
/// takes it again without cleaning up. The holder writes its PID into the file, so a
/// second process can say who holds it.
///
/// `smdr serve` holds `DATA/serve.lock`; every ``Journal`` holds `lock` in its own directory.
package final class DirectoryLock: Sendable {
    /// The lock file.
    package let path: String
    /// The open lock file; -1 once released.
    private let descriptor: Mutex<Int32>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit { self.release() }

    /// Gives the lock up (closing the file releases the `flock`). Calling it again does nothing.
    package func release() {
        let descriptor = self.descriptor.withLock { descriptor in
            defer { descriptor = -1 }
            return descriptor
        }
        if descriptor >= 0 { POSIX.close(descriptor) }
    }

    /// Takes the lock without waiting, on the blocking thread pool (`open` and `flock` block).
    ///
    /// - Throws: ``DirectoryLockError`` when another process (or another open journal) holds
    ///   it; ``SystemCallError`` when the file cannot be opened or written.
    package static func acquire(path: String) async throws -> DirectoryLock {
        try await NIOThreadPool.singleton.runIfActive { try Self.acquireBlocking(path: path) }
    }

    /// Takes the lock without waiting, creating the file's directory if needed. Blocks the
    /// calling thread: call it on a thread pool.
    package static func acquireBlocking(path: String) throws -> DirectoryLock {
        if let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try POSIX.makeDirectories(String(path[..<slash]))
        }
        // A lock file another user created (root, once) is still lockable read-only: `flock`
        // needs no write access; only the holder's PID is then not written.
        var isWritable = true
        let descriptor: Int32
        do {
            descriptor = try POSIX.open(path, flags: O_RDWR | O_CREAT)
        } catch let error as SystemCallError where error.errno == EACCES {
            descriptor = try POSIX.open(path, flags: O_RDONLY)
            isWritable = false
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            defer { POSIX.close(descriptor) }
            guard error == EWOULDBLOCK else { throw SystemCallError("flock", path: path, errno: error) }
            let text = (try? POSIX.readSome(descriptor, count: 64, path: path)) ?? []
            let digits = text.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let holder = Int32(String(decoding: digits, as: UTF8.self))
            throw DirectoryLockError(path: path, holder: holder)
        }
        if isWritable {
            do {
                try POSIX.truncate(descriptor, to: 0, path: path)
                try Array("\(getpid())\n".utf8).withUnsafeBytes { try POSIX.writeAll(descriptor, $0, at: 0, path: path) }
            } catch {
                POSIX.close(descriptor)
                throw error
            }
        }
        return DirectoryLock(path: path, descriptor: descriptor)
    }
}

/// Another process holds a ``DirectoryLock``.
package struct DirectoryLockError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The lock file.
    package var path: String
    /// The PID written by the holder (`nil` if it had not written it yet).
    package var holder: Int32?

    package var description: String {
        let who = self.holder.map { "process \($0)" } ?? "another process"
        return "\(self.path) is locked by \(who)"
    }
}
