#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written whole or not at all: bytes go to a temporary file beside `path`, which
/// ``commit()`` flushes, syncs and renames over `path`; ``abort()`` (or a failed commit) removes
/// it. A failed export or statement never leaves a truncated file where the old one was.
package final class OutputFile {
    package let path: String
    /// Where to write. Buffered; errors surface in ``commit()``.
    package let output: ByteOutput
    private let temporaryPath: String
    private let descriptor: Int32
    private var isOpen = true

    /// Creates the temporary file (mode 0644 less the umask).
    package init(path: String) throws(OutputFileError) {
        self.path = path
        var template = Array((path + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFileError(path: path, action: "create a file beside", errorNumber: errno) }
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o666 & ~mask)
        self.descriptor = descriptor
        self.temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
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

    /// Removes the temporary file; `path` is left as it was.
    package func abort() {
        guard self.isOpen else { return }
        self.isOpen = false
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
