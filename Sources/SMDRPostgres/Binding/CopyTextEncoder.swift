package import SMDRCore

/// Encodes rows in PostgreSQL's `COPY` text format into a byte buffer.
///
/// Fields are separated by tabs and rows end in a newline; `NULL` is `\N`; backslash, tab,
/// newline and carriage return in text are backslash-escaped; `bytea` is written as `\\x` and hex.
public struct CopyTextEncoder: Sendable {
    /// The encoded rows.
    public var bytes: [UInt8] = []
    private var fieldsInRow = 0
    /// Rows ended so far.
    public private(set) var rowCount = 0

    public init() {}

    @inline(__always)
    private mutating func separate() {
        if self.fieldsInRow > 0 { self.bytes.append(CopyText.tab) }
        self.fieldsInRow += 1
    }

    /// A text value; `nil` is `NULL`. U+0000, which PostgreSQL text cannot hold, becomes U+FFFD.
    public mutating func append(_ text: String?) {
        self.separate()
        guard var text else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendEscaped(&text, to: &self.bytes)
    }

    /// A `bytea` value.
    public mutating func append(bytea: [UInt8]?) {
        self.separate()
        guard let bytea else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendBytea(bytea, to: &self.bytes)
    }

    /// An integer.
    public mutating func append(_ value: Int?) {
        self.separate()
        guard let value else { return CopyText.appendNull(to: &self.bytes) }
        CopyText.appendInteger(value, to: &self.bytes)
    }

    /// A boolean, as `t`/`f`.
    public mutating func append(_ value: Bool?) {
        self.separate()
        guard let value else { return CopyText.appendNull(to: &self.bytes) }
        self.bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A value already in `COPY` text form (digits, a date or timestamp); the caller guarantees
    /// it holds no tab, newline, carriage return or backslash.
    public mutating func append(preformatted text: String) {
        self.separate()
        self.bytes.append(contentsOf: text.utf8)
    }

    /// A `timestamp` (`YYYY-MM-DD HH:MM:SS`), written digit by digit.
    package mutating func append(timestamp value: LocalDateTime) {
        self.separate()
        self.appendDate(year: value.year, month: value.month, day: value.day)
        self.bytes.append(UInt8(ascii: " "))
        self.appendDigits(value.hour, 2)
        self.bytes.append(UInt8(ascii: ":"))
        self.appendDigits(value.minute, 2)
        self.bytes.append(UInt8(ascii: ":"))
        self.appendDigits(value.second, 2)
    }

    /// A `date` (`YYYY-MM-DD`), written digit by digit.
    package mutating func append(date value: LocalDate) {
        self.separate()
        self.appendDate(year: value.year, month: value.month, day: value.day)
    }

    private mutating func appendDate(year: Int, month: Int, day: Int) {
        self.appendDigits(year, 4)
        self.bytes.append(UInt8(ascii: "-"))
        self.appendDigits(month, 2)
        self.bytes.append(UInt8(ascii: "-"))
        self.appendDigits(day, 2)
    }

    /// `value` (0 ≤ value < 10^width) in exactly `width` digits.
    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            self.bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// A text array (`text[]`); `nil` is `NULL`.
    public mutating func append(array: [String]?) {
        self.append(array.map(CopyText.arrayLiteral))
    }

    /// Ends the current row.
    public mutating func endRow() {
        self.bytes.append(CopyText.newline)
        self.fieldsInRow = 0
        self.rowCount += 1
    }

    /// Ends the current row without its newline: the caller appends the remaining fields and
    /// the newline later, to a copy of the bytes.
    package mutating func endRowWithoutTerminator() {
        self.fieldsInRow = 0
    }
}

/// PostgreSQL's `COPY` text format: tab-separated fields, `\N` for `NULL`, backslash escapes.
public enum CopyText {
    /// A `text[]` literal: `{"a","b"}`, each element quoted, `"` and `\` escaped.
    package static func arrayLiteral(_ elements: [String]) -> String {
        var literal = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for scalar in element.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { literal += "\\" }
                literal.unicodeScalars.append(scalar)
            }
            literal += "\""
        }
        return literal + "}"
    }

    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let backslash = UInt8(ascii: "\\")
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendNull(to buffer: inout [UInt8]) {
        buffer.append(Self.backslash)
        buffer.append(UInt8(ascii: "N"))
    }

    /// Appends `text` escaped: backslash, tab, newline and carriage return get backslash escapes;
    /// every other byte of the UTF-8 goes through unchanged, except NUL (see ``CopyInWriter/append(_:)-(String?)``).
    static func appendEscaped(_ text: inout String, to buffer: inout [UInt8]) {
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte <= Self.backslash else { continue }
                let replacement: (UInt8, UInt8)?
                switch byte {
                case Self.backslash: replacement = (Self.backslash, Self.backslash)
                case Self.tab: replacement = (Self.backslash, UInt8(ascii: "t"))
                case Self.newline: replacement = (Self.backslash, UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): replacement = (Self.backslash, UInt8(ascii: "r"))
                case 0: replacement = nil
                default: continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                if let (first, second) = replacement {
                    buffer.append(first)
                    buffer.append(second)
                } else {
                    buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD for U+0000
                }
                runStart = index + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
    }

    /// Appends `\\x` and the bytes in hex: `bytea`'s hex input form with its backslash escaped for COPY.
    static func appendBytea(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(Self.backslash)
        buffer.append(Self.backslash)
        buffer.append(UInt8(ascii: "x"))
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: bytes.count * 2))
        buffer.withUnsafeMutableBufferPointer { output in
            Self.hexDigits.withUnsafeBufferPointer { digits in
                var position = start
                for byte in bytes {
                    output[position] = digits[Int(byte >> 4)]
                    output[position + 1] = digits[Int(byte & 0x0F)]
                    position += 2
                }
            }
        }
    }

    static func appendInteger(_ value: Int, to buffer: inout [UInt8]) {
        if value >= 0 && value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes of scratch
        let count = withUnsafeMutableBytes(of: &digits) { scratch in
            var position = scratch.count
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                scratch[position] = UInt8(ascii: "-")
            }
            buffer.append(contentsOf: scratch[position...])
            return scratch.count - position
        }
        _ = count
    }

    /// Splits one `COPY … TO STDOUT` text row into its fields, undoing the escapes; `nil` is `NULL`.
    public static func fields(of row: [UInt8]) -> [[UInt8]?] {
        var line = row[...]
        if line.last == Self.newline { line = line.dropLast() }
        var fields: [[UInt8]?] = []
        var current: [UInt8] = []
        var index = line.startIndex
        var isNull = false
        while index < line.endIndex {
            let byte = line[index]
            index += 1
            if byte == Self.tab {
                fields.append(isNull ? nil : current)
                current = []
                isNull = false
                continue
            }
            guard byte == Self.backslash, index < line.endIndex else {
                current.append(byte)
                continue
            }
            let escaped = line[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "N"): isNull = true
            case UInt8(ascii: "t"): current.append(Self.tab)
            case UInt8(ascii: "n"): current.append(Self.newline)
            case UInt8(ascii: "r"): current.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "b"): current.append(0x08)
            case UInt8(ascii: "f"): current.append(0x0C)
            case UInt8(ascii: "v"): current.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escaped - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < line.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(line[index]) {
                    value = value * 8 + Int(line[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                current.append(UInt8(truncatingIfNeeded: value))
            default: current.append(escaped)
            }
        }
        fields.append(isNull ? nil : current)
        return fields
    }
}
