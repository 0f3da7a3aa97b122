/// Random tokens for session cookies and CSRF: 32 bytes from the system's secure generator
/// (`getrandom` on Linux), as 64 hex digits.
enum WebSecret {
    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<32).map { _ in generator.next() as UInt8 })
    }

    /// Compares in time that depends only on the lengths, not on where the strings differ.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
