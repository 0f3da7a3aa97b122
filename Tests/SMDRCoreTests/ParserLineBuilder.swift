import SMDRCore
import Testing

/// A 17-value line; tests replace single fields with ``line(_:width:)``.
let baseFields: [String] = [
    "2024/03/15 14:02:07", "00:12:34", "5", "2001", "O", "901632960123", "901632960123", "", "0", "1000123",
    "0", "E2001", "Jo Smith", "T9001", "Line 1.3", "3", "0",
]

/// `baseFields` padded with empty values to `width`, with `overrides` (1-based field number → text).
func fields(_ overrides: [Int: String] = [:], width: Int = 17) -> [String] {
    var values = baseFields + Array(repeating: "", count: max(0, width - baseFields.count))
    values = Array(values.prefix(width))
    for (number, text) in overrides { values[number - 1] = text }
    return values
}

func line(_ overrides: [Int: String] = [:], width: Int = 17) -> [UInt8] {
    Array(fields(overrides, width: width).joined(separator: ",").utf8)
}

/// The byte offset where field `number` (1-based) starts in a line made of `values`.
func offset(ofField number: Int, in values: [String]) -> Int {
    values.prefix(number - 1).reduce(0) { $0 + $1.utf8.count + 1 }
}

func parse(_ bytes: [UInt8]) throws(SMDRParseError) -> CallRecord {
    try SMDRParser().parse(bytes)
}
