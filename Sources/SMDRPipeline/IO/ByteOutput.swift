#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Buffered writes to a file descriptor (standard output or error) with POSIX `write`.
///
/// Output is flushed when the buffer passes ``flushThreshold`` bytes, on ``flush()`` and in `deinit`.
public final class ByteOutput {
    /// Bytes buffered before a write: 64 KiB.
    public static let flushThreshold = 64 * 1024

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    public static func standardOutput() -> ByteOutput { ByteOutput(descriptor: 1) }
    public static func standardError() -> ByteOutput { ByteOutput(descriptor: 2) }

    public init(descriptor: Int32) {
        self.descriptor = descriptor
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit { self.flush() }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { self.buffer.append(contentsOf: $0) }
        if self.buffer.count >= Self.flushThreshold { self.flush() }
    }

    public func write(bytes: some Sequence<UInt8>) {
        self.buffer.append(contentsOf: bytes)
        if self.buffer.count >= Self.flushThreshold { self.flush() }
    }

    /// Writes everything buffered. A closed pipe (EPIPE) ends the output silently.
    public func flush() {
        var start = 0
        while start < self.buffer.count {
            let written = self.buffer.withUnsafeBytes {
                systemWrite(self.descriptor, $0.baseAddress! + start, $0.count - start)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            start += written
        }
        self.buffer.removeAll(keepingCapacity: true)
    }
}
