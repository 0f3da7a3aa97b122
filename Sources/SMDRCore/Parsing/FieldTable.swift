/// Where each of the first 37 fields of one line starts and ends, found in one pass over the bytes.
///
/// Fields that the line does not have are empty ranges at the end of the line, so the parser
/// reads them as empty. The boundaries live in a stack buffer (``withFields(of:begin:end:_:)``),
/// so finding the fields allocates nothing, and the table itself is a few words that are cheap to
/// pass around.
struct FieldTable {
    /// The number of fields the parser types; later ones are kept as text.
    static let typedFieldCount = 37

    /// Byte index where field `n + 1` starts at `n`, and just past its end at `37 + n`.
    private let boundaries: UnsafeMutableBufferPointer<Int>
    /// How many comma-separated values the line has (commas + 1).
    let count: Int
    /// Where field 38 starts, when ``count`` > 37; otherwise the end of the line.
    let extraStart: Int
    /// Where the line starts (after leading NUL bytes were skipped).
    let begin: Int
    /// Where the line ends (after trailing CR/LF/NUL bytes were dropped).
    let end: Int
    /// Every byte of the line is ASCII, so text fields need no UTF-8 validation.
    let isASCII: Bool

    /// Scans `bytes[begin..<end]` (not empty) and calls `body` with its table.
    @inline(__always)
    static func withFields<Result, Failure: Error>(
        of bytes: UnsafeBufferPointer<UInt8>, begin: Int, end: Int,
        _ body: (FieldTable) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * Self.typedFieldCount) {
            (storage) throws(Failure) -> Result in
            storage.initialize(repeating: end)
            return try body(FieldTable(scanning: bytes, begin: begin, end: end, into: storage))
        }
    }

    private init(
        scanning bytes: UnsafeBufferPointer<UInt8>, begin: Int, end: Int, into boundaries: UnsafeMutableBufferPointer<Int>
    ) {
        let typed = Self.typedFieldCount
        boundaries[0] = begin
        var field = 0
        var extraStart = end
        /// Records the comma at `position`: field `field + 1` ends there, the next one starts after it.
        @inline(__always) func comma(at position: Int) {
            if field < typed {
                boundaries[typed + field] = position
            }
            field += 1
            if field < typed {
                boundaries[field] = position + 1
            } else if field == typed {
                extraStart = position + 1
            }
        }

        // Eight bytes at a time: find the commas in a word with bit tricks, and OR the words
        // together to learn whether any byte is non-ASCII.
        var index = begin
        var highBits: UInt64 = 0
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while end - index >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                highBits |= word
                // A byte of `x` is zero exactly where `word` has a comma; set its top bit in `mask`.
                let x = word ^ Self.commas
                var mask = ~(((x & Self.low7Bits) &+ Self.low7Bits) | x | Self.low7Bits)
                while mask != 0 {
                    comma(at: index + mask.trailingZeroBitCount >> 3)
                    mask &= mask &- 1
                }
                index += 8
            }
        }
        while index < end {
            let byte = bytes[index]
            highBits |= UInt64(byte)
            if byte == ASCII.comma { comma(at: index) }
            index += 1
        }
        self.boundaries = boundaries
        self.count = field + 1
        self.extraStart = extraStart
        self.begin = begin
        self.end = end
        self.isASCII = highBits & Self.topBits == 0
    }

    private static let commas: UInt64 = 0x2C2C_2C2C_2C2C_2C2C
    private static let low7Bits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    private static let topBits: UInt64 = 0x8080_8080_8080_8080

    /// The byte range of `field`; empty at the end of the line when the line lacks it.
    @inline(__always)
    func range(_ field: CallRecord.Field) -> (start: Int, end: Int) {
        let index = field.rawValue - 1
        return (self.boundaries[index], self.boundaries[Self.typedFieldCount + index])
    }
}
