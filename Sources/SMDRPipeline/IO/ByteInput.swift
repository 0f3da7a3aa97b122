#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMDRPostgres

/// A file or standard input read in fixed-size chunks with POSIX `read`, for the one-shot
/// commands (`parse`, `ingest`) and the settings file: the one file reader.
///
/// Opening and reading block (a FIFO blocks in `open` until a writer appears, and `stat` can
/// hang on a network file system), so async code uses ``open(path:chunkSize:)``, ``nextChunk()``
/// or ``readAll(path:)``, which do both on the blocking-I/O thread pool, never the blocking
/// calls directly on the cooperative pool. A directory is refused when opened.
public final class ByteInput: Sendable {
    /// Chunk size for reads: 256 KiB.
    public static let defaultChunkSize = 256 * 1024

    /// `-` for standard input, otherwise the path.
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let chunkSize: Int

    /// Opens `path` for reading; `-` means standard input.
    public init(path: String, chunkSize: Int = ByteInput.defaultChunkSize) throws(InputError) {
        precondition(chunkSize > 0)
        self.name = path
        self.chunkSize = chunkSize
        if path == "-" {
            self.descriptor = 0
            self.ownsDescriptor = false
        } else {
            let fd = openForReading(path)
            guard fd >= 0 else { throw InputError(path: path, errno: errno) }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw InputError(path: path, errno: EISDIR)
            }
            self.descriptor = fd
            self.ownsDescriptor = true
        }
    }

    deinit {
        if self.ownsDescriptor { close(self.descriptor) }
    }

    /// The whole content of `path` (`-`: standard input), opened and read on the blocking-I/O
    /// thread pool: for small files such as a configuration file, read from async code.
    public static func readAll(path: String) async throws -> [UInt8] {
        try await BlockingWork.run {
            let input = try ByteInput(path: path)
            var bytes: [UInt8] = []
            try input.forEachChunk { bytes.append(contentsOf: $0) }
            return bytes
        }
    }

    /// Opens `path` (`-`: standard input) on the blocking-I/O thread pool.
    public static func open(path: String, chunkSize: Int = ByteInput.defaultChunkSize) async throws -> ByteInput {
        try await BlockingWork.run { try ByteInput(path: path, chunkSize: chunkSize) }
    }

    /// The next chunk, read on the blocking-I/O thread pool; empty at end of input.
    public func nextChunk() async throws -> [UInt8] {
        try await BlockingWork.run {
            var buffer = [UInt8](repeating: 0, count: self.chunkSize)
            let count = try self.readChunk(into: &buffer)
            buffer.removeSubrange(count...)
            return buffer
        }
    }

    /// Calls `body` with each chunk until end of input.
    public func forEachChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: self.chunkSize)
        while true {
            let count = try self.readChunk(into: &buffer)
            if count == 0 { return }
            try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        }
    }

    /// Reads at most `buffer.count` bytes into `buffer`; 0 at end of input.
    private func readChunk(into buffer: inout [UInt8]) throws(InputError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno != EINTR { throw InputError(path: self.name, errno: errno) }
        }
    }
}

/// POSIX `open` for reading (a file-scope name: ``ByteInput/open(path:chunkSize:)`` hides it in the class).
private func openForReading(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}

/// A file that could not be opened or read.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String {
        let reason = String(cString: strerror(self.errno))
        return "cannot read \(self.path == "-" ? "standard input" : "'\(self.path)'"): \(reason)"
    }
}
