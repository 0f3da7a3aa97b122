#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMDRPostgres

/// A file or standard input read in fixed-size chunks with POSIX `read`, for the one-shot
/// commands (`parse`, `ingest`).
///
/// Opening and reading block (a FIFO blocks in `open` until a writer appears), so async code
/// uses ``readAll(path:)``, which does both on the blocking-I/O thread pool, never this type
/// directly on the cooperative pool.
public final class ByteInput {
    /// Chunk size for reads: 256 KiB.
    public static let defaultChunkSize = 256 * 1024

    /// `-` for standard input, otherwise the path.
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8]

    /// Opens `path` for reading; `-` means standard input.
    public init(path: String, chunkSize: Int = ByteInput.defaultChunkSize) throws(InputError) {
        precondition(chunkSize > 0)
        self.name = path
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
        if path == "-" {
            self.descriptor = 0
            self.ownsDescriptor = false
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
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

    /// Calls `body` with each chunk until end of input.
    public func forEachChunk(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        while true {
            let count = self.buffer.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(path: self.name, errno: errno)
            }
            if count == 0 { return }
            try self.buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        }
    }
}

/// A file that could not be opened or read.
public struct InputError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String {
        let reason = String(cString: strerror(self.errno))
        return "cannot read \(self.path == "-" ? "standard input" : "'\(self.path)'"): \(reason)"
    }
}
