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
/// A closed pipe (`EPIPE`, as when `| head -1` has read enough) ends the output quietly: later
/// writes are dropped and ``isClosed`` turns true. Any other write error (`ENOSPC` on a full
/// disk, `EIO`, `EBADF`) also drops later writes, and ``finish()`` throws it, so a command never
/// reports success over a truncated file.
public final class ByteOutput {
    /// Bytes buffered before a write: 64 KiB.
    public static let flushThreshold = 64 * 1024

    private let descriptor: Int32
    /// What the output is called in an error message: `standard output`.
    public let name: String
    private var buffer: [UInt8] = []
    private var failure: ByteOutputError?
    /// The reader has gone (`EPIPE`): nothing more will be written, and that is not an error.
    public private(set) var isClosed = false

    public static func standardOutput() -> ByteOutput { ByteOutput(descriptor: 1, name: "standard output") }
    public static func standardError() -> ByteOutput { ByteOutput(descriptor: 2, name: "standard error") }

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        self.buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    deinit { self.flush() }

    /// The output cannot take more bytes: its reader has gone, or a write failed.
    public var hasEnded: Bool { self.isClosed || self.failure != nil }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { self.buffer.append(contentsOf: $0) }
        if self.buffer.count >= Self.flushThreshold { self.flush() }
    }

    public func write(bytes: some Sequence<UInt8>) {
        self.buffer.append(contentsOf: bytes)
        if self.buffer.count >= Self.flushThreshold { self.flush() }
    }

    /// Writes everything buffered. After `EPIPE` or another write error, drops it instead.
    public func flush() {
        defer { self.buffer.removeAll(keepingCapacity: true) }
        guard !self.hasEnded else { return }
        var start = 0
        while start < self.buffer.count {
            let written = self.buffer.withUnsafeBytes {
                systemWrite(self.descriptor, $0.baseAddress! + start, $0.count - start)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EPIPE {
                    self.isClosed = true
                } else {
                    self.failure = ByteOutputError(output: self.name, errorNumber: code)
                }
                return
            }
            start += written
        }
    }

    /// Drops what is buffered and writes nothing more: the descriptor is about to be closed
    /// (an output file abandoned), and a later flush must not write to whatever reuses its number.
    package func discard() {
        self.buffer.removeAll()
        self.isClosed = true
    }

    /// Flushes, then throws the first write error other than `EPIPE`, if there was one.
    public func finish() throws(ByteOutputError) {
        self.flush()
        if let failure { throw failure }
    }
}

/// Writing to an output failed for a reason other than a closed pipe.
public struct ByteOutputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `standard output`, or a file name.
    public var output: String
    /// The `errno` of the failed `write`, such as `ENOSPC`.
    public var errorNumber: Int32

    public var description: String {
        "cannot write \(self.output): \(String(cString: strerror(self.errorNumber)))"
    }
}
