/// A short run of decimal digits (a dial plan's prefix or country code) kept in one integer, so
/// comparing it with the digits of a number allocates nothing.
struct PackedDigits: Hashable, Sendable {
    /// The most digits a value holds; longer text keeps only its first digits.
    static let capacity = 16

    /// Digit `i` (from the left) in bits `4 i ..< 4 i + 4`.
    private var nibbles: UInt64 = 0
    /// How many digits there are.
    private(set) var count = 0

    /// The decimal digits of `text` in order; other characters are ignored (`+44` is `44`).
    init(_ text: String) {
        for byte in text.utf8 where byte &- UInt8(ascii: "0") < 10 && self.count < Self.capacity {
            self.nibbles |= UInt64(byte &- UInt8(ascii: "0")) << UInt64(4 * self.count)
            self.count += 1
        }
    }

    var isEmpty: Bool { self.count == 0 }

    /// Digit `position` (from the left), 0…9.
    subscript(position: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: self.nibbles >> UInt64(4 * position)) & 0xF
    }

    /// The digits as a number (`044` is 44).
    var value: Int {
        var value = 0
        for position in 0..<self.count { value = value * 10 + Int(self[position]) }
        return value
    }

    /// Whether `digits` (digit values 0…9) starts with these digits. The empty run is a prefix
    /// of nothing, so an empty dial-plan field never matches.
    func isPrefix(of digits: UnsafeBufferPointer<UInt8>) -> Bool {
        guard self.count > 0, digits.count >= self.count else { return false }
        for position in 0..<self.count where digits[position] != self[position] { return false }
        return true
    }
}
