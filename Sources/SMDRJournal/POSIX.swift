#if canImport(Glibc)
package import Glibc
#elseif canImport(Musl)
package import Musl
#elseif canImport(Darwin)
package import Darwin
#endif

/// A failed system call: which call, on what path, and `errno`.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    public var call: String
    public var path: String
    public var errno: Int32

    package init(_ call: String, path: String, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let message = strerror(self.errno).map { String(cString: $0) } ?? "errno \(self.errno)"
        return "\(self.call)(\(self.path)): \(message)"
    }
}

/// Blocking POSIX file helpers for the journal (and the replayer). Call them only from a
/// thread-pool thread.
package enum POSIX {
    package static func open(_ path: String, flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        while true {
            let descriptor = path.withCString { Glibc_open($0, flags | O_CLOEXEC, mode) }
            if descriptor >= 0 { return descriptor }
            if errno == EINTR { continue }
            throw SystemCallError("open", path: path, errno: errno)
        }
    }

    package static func close(_ descriptor: Int32) {
        _ = Glibc_close(descriptor)
    }

    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset) + off_t(written))
            if result < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("pwrite", path: path, errno: errno)
            }
            written += result
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at end of file.
    package static func read(_ descriptor: Int32, count: Int, at offset: Int64, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var total = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while total < count {
                let result = pread(descriptor, buffer.baseAddress! + total, count - total, off_t(offset) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("pread", path: path, errno: errno)
                }
                if result == 0 { break }
                total += result
            }
        }
        bytes.removeLast(count - total)
        return bytes
    }

    /// Reads up to `count` bytes from the current position; an empty result means end of file.
    package static func readSome(_ descriptor: Int32, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let result = bytes.withUnsafeMutableBytes { Glibc_read(descriptor, $0.baseAddress!, count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("read", path: path, errno: errno)
            }
            bytes.removeLast(count - result)
            return bytes
        }
    }

    /// Flushes file data (and the size) to stable storage.
    package static func syncData(_ descriptor: Int32, path: String) throws {
        #if canImport(Darwin)
        let result = fsync(descriptor)
        #else
        let result = fdatasync(descriptor)
        #endif
        if result != 0 { throw SystemCallError("fdatasync", path: path, errno: errno) }
    }

    /// Flushes a file or directory, metadata included.
    package static func sync(_ descriptor: Int32, path: String) throws {
        if fsync(descriptor) != 0 { throw SystemCallError("fsync", path: path, errno: errno) }
    }

    /// Makes a directory's entries (created, renamed, removed files) durable.
    package static func syncDirectory(_ path: String) throws {
        let descriptor = try Self.open(path, flags: O_RDONLY | O_DIRECTORY)
        defer { Self.close(descriptor) }
        try Self.sync(descriptor, path: path)
    }

    package static func truncate(_ descriptor: Int32, to length: Int64, path: String) throws {
        if ftruncate(descriptor, off_t(length)) != 0 { throw SystemCallError("ftruncate", path: path, errno: errno) }
    }

    package static func fileSize(_ descriptor: Int32, path: String) throws -> Int64 {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw SystemCallError("fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    package static func rename(_ from: String, _ to: String) throws {
        let result = from.withCString { source in to.withCString { Glibc_rename(source, $0) } }
        if result != 0 { throw SystemCallError("rename", path: from, errno: errno) }
    }

    package static func unlink(_ path: String) throws {
        if path.withCString({ Glibc_unlink($0) }) != 0 { throw SystemCallError("unlink", path: path, errno: errno) }
    }

    /// Creates `path` and missing parents (like `mkdir -p`); syncs each parent it changed.
    package static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            let parent = prefix.isEmpty ? "." : prefix
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(component) : "/" + component
            if prefix.withCString({ mkdir($0, 0o755) }) == 0 {
                try Self.syncDirectory(parent)
            } else if errno != EEXIST {
                throw SystemCallError("mkdir", path: prefix, errno: errno)
            }
        }
    }

    /// The names in a directory, without `.` and `..`.
    package static func listDirectory(_ path: String) throws -> [String] {
        guard let directory = path.withCString({ opendir($0) }) else {
            throw SystemCallError("opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    package static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return path.withCString { stat($0, &info) } == 0
    }

    /// Microseconds since 1970-01-01 UTC, from the real-time clock.
    package static func unixMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}

// Unambiguous names for libc functions that `POSIX` shadows.
private func Glibc_open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func Glibc_close(_ descriptor: Int32) -> Int32 { close(descriptor) }
private func Glibc_read(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, buffer, count) }
private func Glibc_rename(_ from: UnsafePointer<CChar>, _ to: UnsafePointer<CChar>) -> Int32 { rename(from, to) }
private func Glibc_unlink(_ path: UnsafePointer<CChar>) -> Int32 { unlink(path) }
