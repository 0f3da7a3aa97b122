/// Registered client numbers, looked up by E.164: an exact entry first, then the longest
/// registered prefix.
///
/// A number is kept as an integer key (its digits packed four bits each), so a lookup hashes one
/// integer for the exact entry and one per distinct prefix length registered (at most
/// ``maximumDigits``), whatever the number of entries: O(length of the number), never a scan.
/// Entries that are not `+` and digits (the register holds E.164 only) are kept apart and
/// compared as text.
public struct NumberTable<Value: Sendable>: Sendable {
    /// How a lookup matched.
    public enum Match: Sendable, Hashable {
        case exact
        /// The registered prefix that matched (`+4416329602`).
        case prefix(String)
    }

    /// The most digits after `+` a key packs into an integer (4 bits each in 128 bits).
    static var maximumDigits: Int { 32 }

    private var exact: PackedKeyTable<Value>
    private var prefixes: PackedKeyTable<(prefix: String, value: Value)>
    /// The digit counts of the registered prefixes, longest first.
    private var prefixLengths: [Int] = []
    /// Entries that do not pack (not `+` and digits, or too long): compared as text.
    private var irregularExact: [String: Value] = [:]
    /// Prefixes that do not pack, longest first.
    private var irregularPrefixes: [(prefix: String, value: Value)] = []

    /// - Parameters:
    ///   - exact: E.164 numbers (`+441632960100`) and their values; unique (a repeated number
    ///     keeps its first value).
    ///   - prefixes: E.164 prefixes (`+4416329602`) and their values; unique (likewise).
    public init(exact: [(number: String, value: Value)], prefixes: [(prefix: String, value: Value)]) {
        self.exact = PackedKeyTable(capacity: exact.count)
        for (number, value) in exact {
            if let key = Self.key(number) {
                self.exact.insertIfAbsent(key, value)
            } else if self.irregularExact[number] == nil {
                self.irregularExact[number] = value
            }
        }
        self.prefixes = PackedKeyTable(capacity: prefixes.count)
        var lengths = Set<Int>()
        for (prefix, value) in prefixes {
            if let key = Self.key(prefix) {
                guard self.prefixes.insertIfAbsent(key, (prefix, value)) else { continue }
                lengths.insert(Self.digitCount(key))
            } else if !self.irregularPrefixes.contains(where: { $0.prefix == prefix }) {
                self.irregularPrefixes.append((prefix, value))
            }
        }
        self.prefixLengths = lengths.sorted(by: >)
        self.irregularPrefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// The value for `e164` (`+441632960233`): the exact entry, else the longest registered
    /// prefix of it, else `nil`.
    public func lookup(_ e164: String) -> (value: Value, match: Match)? {
        let (key, complete) = Self.leadingKey(e164)
        if complete, let key {
            if let value = self.exact[key] { return (value, .exact) }
        } else if let value = self.irregularExact[e164] {
            return (value, .exact)
        }
        var found: (prefix: String, value: Value)?
        if let key {
            let digits = Self.digitCount(key)
            for length in self.prefixLengths where length <= digits {
                if let entry = self.prefixes[key & Self.mask(digits: length)] {
                    found = entry
                    break
                }
            }
        }
        // Irregular prefixes (normally none) win when they are longer.
        let bytes = found.map { $0.prefix.utf8.count } ?? -1
        for entry in self.irregularPrefixes where entry.prefix.utf8.count > bytes && e164.hasPrefix(entry.prefix) {
            return (entry.value, .prefix(entry.prefix))
        }
        return found.map { ($0.value, .prefix($0.prefix)) }
    }

    public var count: Int {
        self.exact.count + self.prefixes.count + self.irregularExact.count + self.irregularPrefixes.count
    }

    // MARK: - Keys

    /// `+` and up to ``maximumDigits`` ASCII digits, packed: digit `i` plus one in bits
    /// `4 i ..< 4 i + 4`, so a key's prefix of `n` digits is its low `4 n` bits and no two texts
    /// share a key. `nil` for anything else.
    static func key(_ text: String) -> UInt128? {
        let (key, complete) = Self.leadingKey(text)
        return complete ? key : nil
    }

    /// The key of `text`'s leading `+` and digits (at most ``maximumDigits``), and whether that
    /// is all of `text`; `nil` when it does not start with `+`.
    static func leadingKey(_ text: String) -> (key: UInt128?, complete: Bool) {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.first == UInt8(ascii: "+") else { return (nil, false) }
            var key: UInt128 = 0
            var shift: UInt128 = 0
            for byte in utf8.dropFirst() {
                let digit = byte &- UInt8(ascii: "0")
                guard digit < 10, shift < 4 * UInt128(Self.maximumDigits) else { return (key, false) }
                key |= UInt128(digit + 1) << shift
                shift += 4
            }
            return (key, true)
        }
    }

    /// How many digits `key` holds.
    static func digitCount(_ key: UInt128) -> Int {
        (UInt128.bitWidth - key.leadingZeroBitCount + 3) / 4
    }

    /// The low `4 digits` bits.
    static func mask(digits: Int) -> UInt128 {
        digits >= Self.maximumDigits ? ~0 : (1 << UInt128(4 * digits)) - 1
    }
}
