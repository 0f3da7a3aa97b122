package import SMDRCore

/// Writes JSON (RFC 8259) into a byte buffer: objects, arrays, strings, integers, booleans and
/// `null`, with the commas between members kept track of. Pure: no Foundation, no I/O.
///
/// Strings are escaped so that no text from outside (a caller's name over SIP) can end the string,
/// break the line of a JSON-lines file, or open a tag if the JSON is pasted into a page: `"` and
/// `\`, every control character (`\n`, `\r`, `\t`, else `\u00XX`), U+2028 and U+2029 (line ends
/// to JavaScript), and `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`. Other text passes through as
/// UTF-8 (a Swift `String` is always valid UTF-8). Amounts are written as strings of their exact
/// decimal (`"60.00"`), never as binary floating-point numbers a reader might round.
package struct JSONWriter: Sendable {
    package private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether a member was written, so the next one needs a comma.
    private var hasMembers: [Bool] = []
    /// A key was written and its value is next (no comma before it).
    private var afterKey = false

    package init(capacity: Int = 0) {
        self.bytes.reserveCapacity(capacity)
    }

    /// Empty, keeping the buffer for the next value (one line of a JSON-lines file).
    package mutating func removeAll() {
        self.bytes.removeAll(keepingCapacity: true)
        self.hasMembers.removeAll(keepingCapacity: true)
        self.afterKey = false
    }

    /// Appends raw bytes outside any value (the LF after a JSON line).
    package mutating func appendRaw(_ byte: UInt8) {
        self.bytes.append(byte)
    }

    package mutating func beginObject() {
        self.beginValue()
        self.bytes.append(UInt8(ascii: "{"))
        self.hasMembers.append(false)
    }

    package mutating func endObject() {
        self.hasMembers.removeLast()
        self.bytes.append(UInt8(ascii: "}"))
    }

    package mutating func beginArray() {
        self.beginValue()
        self.bytes.append(UInt8(ascii: "["))
        self.hasMembers.append(false)
    }

    package mutating func endArray() {
        self.hasMembers.removeLast()
        self.bytes.append(UInt8(ascii: "]"))
    }

    /// An object member's key; its value comes next.
    package mutating func key(_ name: String) {
        self.beginValue()
        Self.appendString(name, to: &self.bytes)
        self.bytes.append(UInt8(ascii: ":"))
        self.afterKey = true
    }

    package mutating func string(_ text: String) {
        self.beginValue()
        Self.appendString(text, to: &self.bytes)
    }

    package mutating func number(_ value: Int64) {
        self.beginValue()
        self.bytes += String(value).utf8
    }

    package mutating func bool(_ value: Bool) {
        self.beginValue()
        self.bytes += value ? Array("true".utf8) : Array("false".utf8)
    }

    package mutating func null() {
        self.beginValue()
        self.bytes += Array("null".utf8)
    }

    // Members: a key and its value.

    package mutating func member(_ name: String, _ value: String) {
        self.key(name)
        self.string(value)
    }

    /// `null` when `value` is `nil`.
    package mutating func member(_ name: String, _ value: String?) {
        self.key(name)
        if let value { self.string(value) } else { self.null() }
    }

    package mutating func member(_ name: String, _ value: Int) {
        self.key(name)
        self.number(Int64(value))
    }

    package mutating func member(_ name: String, _ value: Int64) {
        self.key(name)
        self.number(value)
    }

    package mutating func member(_ name: String, _ value: Bool) {
        self.key(name)
        self.bool(value)
    }

    /// The exact decimal as a string (`"0.2"`, `"60.00"`, `"101"`); `null` when `nil`.
    package mutating func member(_ name: String, _ value: ExactDecimal?) {
        self.key(name)
        if let value { self.string(value.description) } else { self.null() }
    }

    /// A comma when the enclosing object or array already has a member, unless a key precedes.
    private mutating func beginValue() {
        if self.afterKey {
            self.afterKey = false
            return
        }
        guard let last = self.hasMembers.indices.last else { return }
        if self.hasMembers[last] { self.bytes.append(UInt8(ascii: ",")) }
        self.hasMembers[last] = true
    }

    /// `text` as a JSON string, quotes included, escaped as the type's documentation says.
    package static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x00..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                Self.appendUnicodeEscape(UInt16(byte), to: &bytes)
            case 0xA8...0xA9 where previous == (0xE2, 0x80):
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9: replace the two lead bytes just written.
                bytes.removeLast(2)
                Self.appendUnicodeEscape(0x2000 | UInt16(byte - 0xA8 + 0x28), to: &bytes)
            default:
                bytes.append(byte)
            }
            previous = (previous.1, byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `\uXXXX` with lower-case hex digits.
    private static func appendUnicodeEscape(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            let digit = UInt8((value >> UInt16(shift)) & 0xF)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }
}
