/// A hash table from packed-digit keys (``NumberTable``'s `UInt128` keys) to values, filled once
/// and then only read.
///
/// A `Dictionary` hashes every key with a seeded SipHash, which is most of what a lookup in a table
/// of 100k numbers costs; these keys are digits from the register (no one floods it), so a
/// multiplicative hash and linear probing in a table at most half full do, at a few nanoseconds a
/// lookup. A bit per hash value in front of it (``presenceBitsPerSlot``) answers most absent
/// keys from a few hundred kilobytes that stay in cache, rather than from the table's megabytes.
struct PackedKeyTable<Value: Sendable>: Sendable {
    /// The table has at least this many slots per entry (load factor at most 1/2), so a probe
    /// sequence stays short.
    static var slotsPerEntry: Int { 2 }
    /// Bits of the presence filter per slot: with ``slotsPerEntry`` 2, at least 16 bits per entry, so an
    /// absent key finds its bit set about once in 16 and only then reads the table.
    static var presenceBitsPerSlot: Int { 8 }

    /// A key and its value side by side, so a probe reads one cache line.
    private struct Slot {
        var key: UInt128
        /// `nil` marks an empty slot.
        var value: Value?
    }

    private var slots: [Slot]
    /// Bit `h` is set when some key's presence hash is `h` (``presenceBitsPerSlot`` per slot).
    private var presence: [UInt64]
    /// log2 of the number of presence bits.
    private let presenceBits: Int
    /// Slot count minus one (the slot count is a power of two).
    private let mask: Int
    /// log2 of the slot count: a hash's top bits pick the slot.
    private let bits: Int
    private(set) var count = 0

    /// An empty table with room for `capacity` entries.
    init(capacity: Int) {
        var bits = 1
        while 1 << bits < Swift.max(capacity, 1) * Self.slotsPerEntry { bits += 1 }
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.slots = Array(repeating: Slot(key: 0, value: nil), count: 1 << bits)
        self.presenceBits = bits + Self.presenceBitsPerSlot.trailingZeroBitCount
        self.presence = Array(repeating: 0, count: Swift.max(1, (1 << self.presenceBits) / UInt64.bitWidth))
    }

    /// Adds `value` for `key` unless the key is present; false when it was (its value stays).
    @discardableResult
    mutating func insertIfAbsent(_ key: UInt128, _ value: Value) -> Bool {
        precondition(self.count < (self.mask + 1) / Self.slotsPerEntry, "PackedKeyTable: more entries than its capacity")
        var slot = self.slot(of: key)
        while self.slots[slot].value != nil {
            if self.slots[slot].key == key { return false }
            slot = (slot + 1) & self.mask
        }
        self.slots[slot] = Slot(key: key, value: value)
        let bit = self.presenceBit(of: key)
        self.presence[bit >> 6] |= 1 << UInt64(bit & 63)
        self.count += 1
        return true
    }

    /// The value for `key`, if present.
    subscript(key: UInt128) -> Value? {
        let bit = self.presenceBit(of: key)
        guard self.presence[bit >> 6] & (1 << UInt64(bit & 63)) != 0 else { return nil }
        var slot = self.slot(of: key)
        while let value = self.slots[slot].value {
            if self.slots[slot].key == key { return value }
            slot = (slot + 1) & self.mask
        }
        return nil
    }

    /// Where the probe for `key` starts: Fibonacci hashing of its two halves folded together.
    private func slot(of key: UInt128) -> Int {
        Int(truncatingIfNeeded: (Self.fold(key) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - self.bits))
    }

    /// The key's bit in ``presence``: the same, with another multiplier.
    private func presenceBit(of key: UInt128) -> Int {
        Int(truncatingIfNeeded: (Self.fold(key) &* 0xD6E8_FEB8_6659_FD93) >> UInt64(64 - self.presenceBits))
    }

    private static func fold(_ key: UInt128) -> UInt64 {
        UInt64(truncatingIfNeeded: key) ^ (UInt64(truncatingIfNeeded: key >> 64) &* 0xC2B2_AE3D_27D4_EB4F)
    }
}
