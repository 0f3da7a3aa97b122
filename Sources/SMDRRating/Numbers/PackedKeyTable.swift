/// A hash table from packed-digit keys (``NumberTable``'s `UInt128` keys) to values, filled once
/// and then only read.
///
/// A `Dictionary` hashes every key with a seeded SipHash, which is most of what a lookup in a table
/// of 100k numbers costs; these keys are digits from the register (no one floods it), so a
/// multiplicative hash and linear probing in a table at most half full do, at a few nanoseconds a
/// lookup.
struct PackedKeyTable<Value: Sendable>: Sendable {
    /// The table has at least this many slots per entry (load factor at most 1/2), so a probe
    /// sequence stays short.
    static var slotsPerEntry: Int { 2 }

    /// Keys by slot, meaningful where ``values`` holds a value.
    private var keys: [UInt128]
    /// Values by slot; `nil` marks an empty slot.
    private var values: [Value?]
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
        self.keys = Array(repeating: 0, count: 1 << bits)
        self.values = Array(repeating: nil, count: 1 << bits)
    }

    /// Adds `value` for `key` unless the key is present; false when it was (its value stays).
    @discardableResult
    mutating func insertIfAbsent(_ key: UInt128, _ value: Value) -> Bool {
        precondition(self.count < (self.mask + 1) / Self.slotsPerEntry, "PackedKeyTable: more entries than its capacity")
        var slot = self.slot(of: key)
        while self.values[slot] != nil {
            if self.keys[slot] == key { return false }
            slot = (slot + 1) & self.mask
        }
        self.keys[slot] = key
        self.values[slot] = value
        self.count += 1
        return true
    }

    /// The value for `key`, if present.
    subscript(key: UInt128) -> Value? {
        var slot = self.slot(of: key)
        while let value = self.values[slot] {
            if self.keys[slot] == key { return value }
            slot = (slot + 1) & self.mask
        }
        return nil
    }

    /// Where the probe for `key` starts: Fibonacci hashing of its two halves folded together.
    private func slot(of key: UInt128) -> Int {
        let folded = UInt64(truncatingIfNeeded: key) ^ (UInt64(truncatingIfNeeded: key >> 64) &* 0xC2B2_AE3D_27D4_EB4F)
        return Int(truncatingIfNeeded: (folded &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - self.bits))
    }
}
