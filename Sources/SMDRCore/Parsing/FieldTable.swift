/// Where each of the first 37 fields of one line starts and ends, found in one pass over the bytes.
///
/// Fields that the line does not have are empty ranges at the end of the line, so the parser
/// reads them as empty. Kept on the stack (`InlineArray`), so finding the fields allocates nothing.
struct FieldTable {
    /// The number of fields the parser types; later ones are kept as text.
    static let typedFieldCount = 37

    /// Byte index where field `n + 1` starts (0-based `n`).
    var starts: InlineArray<37, Int>
    /// Byte index just past field `n + 1` (its comma, or the end of the line).
    var ends: InlineArray<37, Int>
    /// How many comma-separated values the line has (commas + 1).
    var count: Int
    /// Where field 38 starts, when ``count`` > 37; otherwise the end of the line.
    var extraStart: Int
    /// Where the line ends (after trailing CR/LF/NUL bytes were dropped).
    var end: Int
    /// Every byte of the line is ASCII, so text fields need no UTF-8 validation.
    var isASCII: Bool

    /// Scans `bytes[begin..<end]`, which must not be empty.
    init(_ bytes: UnsafeBufferPointer<UInt8>, begin: Int, end: Int) {
        self.starts = InlineArray(repeating: end)
        self.ends = InlineArray(repeating: end)
        self.starts[0] = begin
        var field = 0
        var highBits: UInt8 = 0
        var extraStart = end
        var index = begin
        while index < end {
            let byte = bytes[index]
            highBits |= byte
            if byte == ASCII.comma {
                if field < Self.typedFieldCount {
                    self.ends[field] = index
                }
                field += 1
                if field < Self.typedFieldCount {
                    self.starts[field] = index + 1
                } else if field == Self.typedFieldCount {
                    extraStart = index + 1
                }
            }
            index += 1
        }
        self.count = field + 1
        self.extraStart = extraStart
        self.end = end
        self.isASCII = highBits < 0x80
    }

    /// The byte range of `field`; empty at the end of the line when the line lacks it.
    @inline(__always)
    func range(_ field: CallRecord.Field) -> (start: Int, end: Int) {
        let index = field.rawValue - 1
        return (self.starts[index], self.ends[index])
    }
}
