/// Byte constants the parser and framer compare against.
package enum ASCII {
    package static let nul: UInt8 = 0x00
    package static let lineFeed = UInt8(ascii: "\n")
    package static let carriageReturn = UInt8(ascii: "\r")
    package static let comma = UInt8(ascii: ",")
    package static let space = UInt8(ascii: " ")
    package static let slash = UInt8(ascii: "/")
    package static let colon = UInt8(ascii: ":")
    package static let period = UInt8(ascii: ".")
    package static let at = UInt8(ascii: "@")
    package static let minus = UInt8(ascii: "-")
    package static let plus = UInt8(ascii: "+")
    package static let quote = UInt8(ascii: "\"")
    package static let zero = UInt8(ascii: "0")
    package static let one = UInt8(ascii: "1")
    package static let eight = UInt8(ascii: "8")
    package static let nine = UInt8(ascii: "9")
    package static let upperE = UInt8(ascii: "E")
    package static let upperI = UInt8(ascii: "I")
    package static let upperO = UInt8(ascii: "O")
    package static let upperT = UInt8(ascii: "T")
    package static let upperV = UInt8(ascii: "V")
    /// Bit that turns an ASCII upper-case letter into its lower-case form.
    package static let caseBit: UInt8 = 0x20

    /// `byte` lower-cased if it is an ASCII letter, unchanged otherwise.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | caseBit : byte
    }

    /// The value of an ASCII decimal digit, or a value ≥ 10 for any other byte.
    @inline(__always)
    static func digitValue(_ byte: UInt8) -> UInt8 {
        byte &- zero
    }

    /// The decimal number `bytes[range]` spells, or `nil` unless every byte there is a digit.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
            let digit = Self.digitValue(bytes[index])
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
