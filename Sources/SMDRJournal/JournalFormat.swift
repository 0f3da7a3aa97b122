/// The on-disk layout of journal segments. All integers are little-endian.
///
/// ```
/// segment file "<base offset, 20 decimal digits>.smdrj"
/// ┌──────────────────────────── header, 32 bytes ────────────────────────────┐
/// │ magic "SMDRJRNL" (8) │ version u16 = 1 │ header length u16 = 32 │ 0 u32   │
/// │ base offset i64 │ 0 u32 │ CRC-32C of the 28 bytes before it u32           │
/// └──────────────────────────────────────────────────────────────────────────┘
/// entry, repeated (20 + n bytes)
/// ┌────────────────┬───────────┬───────────┬──────────────────┬─────────┬────────────┐
/// │ length n (u32) │ flags u16 │ 0 u16     │ received-at i64  │ payload │ CRC-32C u32│
/// │                │ bit 0:    │ reserved  │ µs since 1970 UTC│ n bytes │ of all the │
/// │                │ truncated │           │                  │         │ bytes before│
/// │                │ bit 1: un-│           │                  │         │            │
/// │                │ terminated│           │                  │         │            │
/// └────────────────┴───────────┴───────────┴──────────────────┴─────────┴────────────┘
/// ```
///
/// The *journal offset* of an entry counts entry bytes only (headers excluded), continuously
/// across segments: a segment holds the offsets `base ..< base + (file size − 32)`, and the
/// next segment's base is where the previous one ends.
package enum JournalFormat {
    package static let magic: [UInt8] = Array("SMDRJRNL".utf8)
    package static let version: UInt16 = 1
    package static let headerLength = 32
    package static let entryHeaderLength = 16
    package static let entryOverhead = 20
    package static let segmentSuffix = ".smdrj"
    /// Hard upper bound for one payload; a larger length field is corruption.
    package static let maximumPayloadLength = 16 << 20

    package struct EntryFlags: OptionSet, Sendable {
        package let rawValue: UInt16
        package init(rawValue: UInt16) { self.rawValue = rawValue }
        package static let truncated = EntryFlags(rawValue: 1)
        /// The connection ended before the line's terminator (added after version 1 was
        /// released: older journals never set it, so they read as before).
        package static let unterminated = EntryFlags(rawValue: 2)
        /// Every flag this version knows; any other bit set is corruption.
        package static let known: EntryFlags = [.truncated, .unterminated]
    }

    package static func segmentName(base: Int64) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + Self.segmentSuffix
    }

    /// The base offset named by a segment file name, or `nil` for other files.
    package static func base(ofSegmentNamed name: String) -> Int64? {
        guard name.hasSuffix(Self.segmentSuffix) else { return nil }
        let digits = name.dropLast(Self.segmentSuffix.count)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    package static func encodeHeader(base: Int64) -> [UInt8] {
        var bytes = Self.magic
        bytes.appendLittleEndian(Self.version)
        bytes.appendLittleEndian(UInt16(Self.headerLength))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(base)
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(CRC32C.checksum(bytes))
        return bytes
    }

    /// The base offset recorded in a header, or `nil` when the header is not a valid version-1 header.
    package static func decodeHeader(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count >= Self.headerLength, Array(bytes[0..<8]) == Self.magic,
              bytes.loadLittleEndian(UInt16.self, at: 8) == Self.version,
              bytes.loadLittleEndian(UInt16.self, at: 10) == UInt16(Self.headerLength),
              bytes.loadLittleEndian(UInt32.self, at: 28) == CRC32C.checksum(bytes[0..<28])
        else { return nil }
        return bytes.loadLittleEndian(Int64.self, at: 16)
    }

    /// Appends one encoded entry to `bytes`.
    package static func encodeEntry(
        _ payload: some Collection<UInt8>, flags: EntryFlags, receivedAt: Int64, into bytes: inout [UInt8]
    ) {
        let start = bytes.count
        bytes.reserveCapacity(start + Self.entryOverhead + payload.count)
        bytes.appendLittleEndian(UInt32(payload.count))
        bytes.appendLittleEndian(flags.rawValue)
        bytes.appendLittleEndian(UInt16(0))
        bytes.appendLittleEndian(receivedAt)
        bytes.append(contentsOf: payload)
        let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        bytes.appendLittleEndian(checksum)
    }

    package enum DecodeResult {
        /// A valid entry and its total encoded size.
        case entry(payload: ArraySlice<UInt8>, flags: EntryFlags, receivedAt: Int64, size: Int)
        /// The bytes end before the entry does; `size` is its claimed total size when the header is complete.
        case incomplete(size: Int?)
        /// The length is impossible or the reserved bits are set.
        case invalidHeader
        /// The entry is complete but its checksum does not match.
        case checksumMismatch(size: Int)
    }

    /// Decodes the entry at `position` in `bytes`.
    package static func decodeEntry(_ bytes: [UInt8], at position: Int) -> DecodeResult {
        let available = bytes.count - position
        guard available >= Self.entryHeaderLength else { return .incomplete(size: nil) }
        let length = Int(bytes.loadLittleEndian(UInt32.self, at: position))
        let reserved = bytes.loadLittleEndian(UInt16.self, at: position + 6)
        let flags = EntryFlags(rawValue: bytes.loadLittleEndian(UInt16.self, at: position + 4))
        guard length <= Self.maximumPayloadLength, reserved == 0, flags.subtracting(.known).isEmpty else {
            return .invalidHeader
        }
        let size = Self.entryOverhead + length
        guard available >= size else { return .incomplete(size: size) }
        let checksumPosition = position + size - 4
        let expected = bytes.loadLittleEndian(UInt32.self, at: checksumPosition)
        let actual = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[position..<checksumPosition])) }
        guard expected == actual else { return .checksumMismatch(size: size) }
        let payloadStart = position + Self.entryHeaderLength
        return .entry(
            payload: bytes[payloadStart..<(payloadStart + length)],
            flags: flags,
            receivedAt: bytes.loadLittleEndian(Int64.self, at: position + 8),
            size: size
        )
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    package mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self.append(contentsOf: $0) }
    }

    @inline(__always)
    package func loadLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at position: Int) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() {
            value = value << 8 | T(self[position + index])
        }
        return value
    }
}
