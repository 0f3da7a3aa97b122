import SMDRCore

/// Writes the fields of one SMDR line into a buffer, stopping after `width` fields and padding
/// with empty values up to it. ``makeLine(width:_:)`` gives each line exactly one allocation.
struct LineWriter {
    /// Room for the longest line the generator writes, beyond one comma per field.
    static let contentCapacity = 1024

    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    let width: Int
    private(set) var fieldCount = 0

    /// A line of `width` fields written by `body`.
    static func makeLine(width: Int, _ body: (inout LineWriter) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.contentCapacity + width) { buffer, initializedCount in
            var writer = LineWriter(buffer: buffer, width: width)
            body(&writer)
            writer.finish()
            initializedCount = writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>, width: Int) {
        self.buffer = buffer
        self.width = width
    }

    // MARK: - Bytes

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        precondition(self.count < self.buffer.count, "generated line longer than its buffer")
        self.buffer[self.count] = byte
        self.count += 1
    }

    mutating func put(_ bytes: [UInt8]) {
        precondition(self.count + bytes.count <= self.buffer.count, "generated line longer than its buffer")
        for byte in bytes {
            self.buffer[self.count] = byte
            self.count += 1
        }
    }

    mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { for byte in $0 { self.put(byte) } }
    }

    /// A non-negative number in decimal.
    mutating func putDecimal(_ value: Int) {
        precondition(value >= 0, "only non-negative numbers are written")
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for Int.max
        withUnsafeMutableBytes(of: &scratch) { digits in
            var remaining = value
            var position = digits.count
            repeat {
                position -= 1
                digits[position] = ASCII.zero &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            for index in position..<digits.count { self.put(digits[index]) }
        }
    }

    /// `value` in decimal with at least `digits` digits (zero-padded).
    mutating func putPadded(_ value: Int, digits: Int) {
        var width = 1
        var limit = 10
        while limit <= value, width < 19 {
            width += 1
            limit &*= 10
        }
        for _ in width..<max(digits, width) { self.put(ASCII.zero) }
        self.putDecimal(value)
    }

    @inline(__always)
    private mutating func putTwoDigits(_ value: Int) {
        self.put(ASCII.zero &+ UInt8(truncatingIfNeeded: value / 10))
        self.put(ASCII.zero &+ UInt8(truncatingIfNeeded: value % 10))
    }

    // MARK: - Fields

    /// Starts the next field; `false` when the line is already `width` fields wide.
    @inline(__always)
    mutating func beginField() -> Bool {
        guard self.fieldCount < self.width else { return false }
        if self.fieldCount > 0 { self.put(ASCII.comma) }
        self.fieldCount += 1
        return true
    }

    mutating func empty() {
        _ = self.beginField()
    }

    mutating func text(_ text: [UInt8]) {
        guard self.beginField() else { return }
        self.put(text)
    }

    mutating func text(_ text: StaticString) {
        guard self.beginField() else { return }
        self.put(text)
    }

    mutating func integer(_ value: Int) {
        guard self.beginField() else { return }
        self.putDecimal(value)
    }

    mutating func optionalInteger(_ value: Int?) {
        if let value { self.integer(value) } else { self.empty() }
    }

    mutating func flag(_ value: Bool) {
        guard self.beginField() else { return }
        self.put(value ? ASCII.one : ASCII.zero)
    }

    /// `YYYY/MM/DD HH:MM:SS` for wall-clock seconds since 1970.
    mutating func dateTime(_ seconds: Int64) {
        guard self.beginField() else { return }
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = CivilCalendar.civil(days: days)
        self.putPadded(year, digits: 4)
        self.put(ASCII.slash)
        self.putTwoDigits(month)
        self.put(ASCII.slash)
        self.putTwoDigits(day)
        self.put(ASCII.space)
        self.putTwoDigits(secondOfDay / 3600)
        self.put(ASCII.colon)
        self.putTwoDigits(secondOfDay / 60 % 60)
        self.put(ASCII.colon)
        self.putTwoDigits(secondOfDay % 60)
    }

    /// `HH:MM:SS` (hours at least two digits).
    mutating func duration(_ seconds: Int) {
        guard self.beginField() else { return }
        self.putPadded(seconds / 3600, digits: 2)
        self.put(ASCII.colon)
        self.putTwoDigits(seconds / 60 % 60)
        self.put(ASCII.colon)
        self.putTwoDigits(seconds % 60)
    }

    /// A fixed-point amount: `units / 10^scale`, with at least `integerDigits` digits before the
    /// point (zero-padded) and the whole left-padded with spaces to `fieldWidth` (`   0.0618`).
    mutating func amount(units: Int, scale: Int, integerDigits: Int = 1, fieldWidth: Int = 0) {
        guard self.beginField() else { return }
        var divisor = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = units / divisor
        var wholeDigits = 1
        var limit = 10
        while limit <= whole { wholeDigits += 1; limit *= 10 }
        let length = max(wholeDigits, integerDigits) + (scale > 0 ? scale + 1 : 0)
        for _ in length..<max(fieldWidth, length) { self.put(ASCII.space) }
        self.putPadded(whole, digits: integerDigits)
        if scale > 0 {
            self.put(ASCII.period)
            self.putPadded(units % divisor, digits: scale)
        }
    }

    /// Pads the line with empty fields up to `width`.
    mutating func finish() {
        while self.fieldCount < self.width { self.empty() }
    }

    // MARK: - Arrays (set-up only)

    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        bytes += Self.makeLine(width: 1) { $0.putDecimal(value) }
    }

    static func appendPadded(_ value: Int, digits: Int, to bytes: inout [UInt8]) {
        bytes += Self.makeLine(width: 1) { $0.putPadded(value, digits: digits) }
    }
}
