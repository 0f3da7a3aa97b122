/// A small strict JSON parser for the tests (RFC 8259): no duplicate keys, no raw control
/// characters in strings, no trailing text. Numbers are kept as their text, so a test can tell
/// `60` from `"60.00"`.
enum JSONValue: Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var keys: [String] {
        guard case .object(let members) = self else { return [] }
        return members.map(\.0)
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.scalars.count else { throw ParseError(description: "text after the value at \(parser.index)") }
        return value
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func skipWhitespace() {
            while index < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[index]) { index += 1 }
        }

        mutating func expect(_ scalar: Unicode.Scalar) throws(ParseError) {
            guard index < scalars.count, scalars[index] == scalar else { throw ParseError(description: "expected \(scalar) at \(index)") }
            index += 1
        }

        mutating func literal(_ word: String) throws(ParseError) {
            for scalar in word.unicodeScalars { try expect(scalar) }
        }

        mutating func value() throws(ParseError) -> JSONValue {
            skipWhitespace()
            guard index < scalars.count else { throw ParseError(description: "unexpected end") }
            switch scalars[index] {
            case "{":
                index += 1
                var members: [(String, JSONValue)] = []
                skipWhitespace()
                if index < scalars.count, scalars[index] == "}" {
                    index += 1
                    return .object(members)
                }
                while true {
                    skipWhitespace()
                    let key = try string()
                    guard !members.contains(where: { $0.0 == key }) else { throw ParseError(description: "duplicate key \(key)") }
                    skipWhitespace()
                    try expect(":")
                    members.append((key, try value()))
                    skipWhitespace()
                    if index < scalars.count, scalars[index] == "," { index += 1; continue }
                    try expect("}")
                    return .object(members)
                }
            case "[":
                index += 1
                var elements: [JSONValue] = []
                skipWhitespace()
                if index < scalars.count, scalars[index] == "]" {
                    index += 1
                    return .array(elements)
                }
                while true {
                    elements.append(try value())
                    skipWhitespace()
                    if index < scalars.count, scalars[index] == "," { index += 1; continue }
                    try expect("]")
                    return .array(elements)
                }
            case "\"": return .string(try string())
            case "t": try literal("true"); return .bool(true)
            case "f": try literal("false"); return .bool(false)
            case "n": try literal("null"); return .null
            default:
                let start = index
                if scalars[index] == "-" { index += 1 }
                while index < scalars.count, ("0"..."9").contains(scalars[index]) || [".", "e", "E", "+", "-"].contains(scalars[index]) {
                    index += 1
                }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                guard Double(text) != nil, !text.isEmpty, text != "-" else { throw ParseError(description: "bad number at \(start)") }
                return .number(text)
            }
        }

        mutating func string() throws(ParseError) -> String {
            try expect("\"")
            var result = String.UnicodeScalarView()
            var pendingHigh: UInt32?
            while true {
                guard index < scalars.count else { throw ParseError(description: "unterminated string") }
                let scalar = scalars[index]
                index += 1
                if scalar == "\"" { break }
                guard scalar.value >= 0x20 else { throw ParseError(description: "raw control character in a string at \(index - 1)") }
                guard scalar == "\\" else {
                    result.append(scalar)
                    continue
                }
                guard index < scalars.count else { throw ParseError(description: "unterminated escape") }
                let escape = scalars[index]
                index += 1
                switch escape {
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                case "/": result.append("/")
                case "b": result.append("\u{08}")
                case "f": result.append("\u{0C}")
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "t": result.append("\t")
                case "u":
                    guard index + 4 <= scalars.count, let code = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16)
                    else { throw ParseError(description: "bad \\u escape") }
                    index += 4
                    if (0xD800..<0xDC00).contains(code) {
                        pendingHigh = code
                        continue
                    }
                    if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                        result.append(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))!)
                        pendingHigh = nil
                        continue
                    }
                    guard let decoded = Unicode.Scalar(code) else { throw ParseError(description: "lone surrogate") }
                    result.append(decoded)
                default: throw ParseError(description: "bad escape \\\(escape)")
                }
            }
            return String(result)
        }
    }
}
