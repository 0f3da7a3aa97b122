#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SMDRJournal

/// A new directory only this user can enter (`mkdtemp`, mode 0700), under `TMPDIR` (else
/// `/tmp`), removed with everything in it when the value goes away.
///
/// For work files nobody else may see or plant a link in: a page about to be printed, the
/// profile of the browser printing it and what it prints. Blocking: create and drop it on a
/// thread that may block. Not copyable, so the tree is removed exactly once.
package struct TemporaryDirectory: ~Copyable {
    /// The directory's path, as `mkdtemp` made it.
    package let path: String

    /// Creates `TMPDIR/prefix.XXXXXX`.
    ///
    /// - Throws: ``OutputFileError`` naming `TMPDIR` (an operator's setting) when the directory
    ///   cannot be made there.
    package init(prefix: String) throws(OutputFileError) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/" + prefix + ".XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw OutputFileError(path: base, action: "create a temporary directory in", errorNumber: errno)
        }
        self.path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { removeTree(self.path) }
}

/// Removes `path` and everything under it, never following a symbolic link (a browser's profile
/// holds some, and one may point anywhere); best effort.
private func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if (info.st_mode & S_IFMT) == S_IFDIR {
        for name in (try? POSIX.listDirectory(path)) ?? [] { removeTree(path + "/" + name) }
        _ = rmdir(path)
    } else {
        _ = unlink(path)
    }
}
