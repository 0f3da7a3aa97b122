#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written whole or not at all: bytes go to a new temporary file beside `path` (created
/// exclusively, so nothing planted there is written through), which ``commit()`` flushes, syncs
/// and renames over `path`; ``abort()`` (or a failed commit) removes it. A failed export or
/// statement never leaves a truncated file where the old one was.
package final class OutputFile {
    package let path: String
    /// Where to write. Buffered; errors surface in ``commit()``.
    package let output: ByteOutput
    private let temporaryPath: String
    private let descriptor: Int32
    private var isOpen = true

    /// Tries this many random names for the temporary file before giving up.
    private static let attempts = 16

    /// Creates the temporary file, mode 0666 less the umask, as `open` would create `path` itself.
    package init(path: String) throws(OutputFileError) {
        self.path = path
        var descriptor: Int32 = -1
        var temporaryPath = ""
        for _ in 0..<Self.attempts {
            temporaryPath = path + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw OutputFileError(path: path, action: "create a file beside", errorNumber: errno) }
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        self.output = ByteOutput(descriptor: descriptor, name: path)
    }

    deinit { self.abort() }

    /// Flushes, syncs and renames the file into place.
    package func commit() throws(OutputFileError) {
        guard self.isOpen else { return }
        do {
            try self.output.finish()
        } catch {
            self.abort()
            throw OutputFileError(path: self.path, action: "write", errorNumber: error.errorNumber)
        }
        if fsync(self.descriptor) != 0 {
            let code = errno
            self.abort()
            throw OutputFileError(path: self.path, action: "sync", errorNumber: code)
        }
        close(self.descriptor)
        self.isOpen = false
        if rename(self.temporaryPath, self.path) != 0 {
            let code = errno
            unlink(self.temporaryPath)
            throw OutputFileError(path: self.path, action: "rename a temporary file to", errorNumber: code)
        }
    }

    /// Drops what is buffered and removes the temporary file; `path` is left as it was.
    package func abort() {
        guard self.isOpen else { return }
        self.isOpen = false
        self.output.discard()
        close(self.descriptor)
        unlink(self.temporaryPath)
    }
}

/// Creating, writing or renaming an output file failed.
package struct OutputFileError: Error, Hashable, Sendable, CustomStringConvertible {
    package var path: String
    package var action: String
    package var errorNumber: Int32

    package var description: String {
        "cannot \(self.action) \(self.path): \(String(cString: strerror(self.errorNumber)))"
    }
}
