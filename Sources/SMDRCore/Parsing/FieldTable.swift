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

    private init(scanning bytes: UnsafeBufferPointer<UInt8>, begin: Int, end: Int, into boundaries: UnsafeMutableBufferPointer<Int>) {
        let typed = Self.typedFieldCount
        boundaries[0] = begin
        var field = 0
        var highBits: UInt8 = 0
        var extraStart = end
        var index = begin
        while index < end {
            let byte = bytes[index]
            highBits |= byte
            if byte == ASCII.comma {
                if field < typed {
                    boundaries[typed + field] = index
                }
                field += 1
                if field < typed {
                    boundaries[field] = index + 1
                } else if field == typed {
                    extraStart = index + 1
                }
            }
            index += 1
        }
        self.boundaries = boundaries
        self.count = field + 1
        self.extraStart = extraStart
        self.begin = begin
        self.end = end
        self.isASCII = highBits < 0x80
    }

    /// The byte range of `field`; empty at the end of the line when the line lacks it.
    @inline(__always)
    func range(_ field: CallRecord.Field) -> (start: Int, end: Int) {
        let index = field.rawValue - 1
        return (self.boundaries[index], self.boundaries[Self.typedFieldCount + index])
    }
}
