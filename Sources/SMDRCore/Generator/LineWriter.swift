/// Appends the fields of one SMDR line as bytes, stopping after `width` fields and padding with
/// empty values up to it.
struct LineWriter {
    private(set) var bytes: [UInt8] = []
    let width: Int
    private(set) var fieldCount = 0

    init(width: Int, capacity: Int = 256) {
        self.width = width
        self.bytes.reserveCapacity(capacity)
    }

    /// Starts the next field; `false` when the line is already `width` fields wide.
    @inline(__always)
    private mutating func beginField() -> Bool {
        guard self.fieldCount < self.width else { return false }
        if self.fieldCount > 0 { self.bytes.append(ASCII.comma) }
        self.fieldCount += 1
        return true
    }

    mutating func empty() {
        _ = self.beginField()
    }

    mutating func text(_ text: [UInt8]) {
        guard self.beginField() else { return }
        self.bytes.append(contentsOf: text)
    }

    mutating func text(_ text: StaticString) {
        guard self.beginField() else { return }
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int) {
        guard self.beginField() else { return }
        Self.appendDecimal(value, to: &self.bytes)
    }

    mutating func optionalInteger(_ value: Int?) {
        if let value { self.integer(value) } else { self.empty() }
    }

    mutating func flag(_ value: Bool) {
        guard self.beginField() else { return }
        self.bytes.append(value ? ASCII.one : ASCII.zero)
    }

    /// `YYYY/MM/DD HH:MM:SS` for wall-clock seconds since 1970.
    mutating func dateTime(_ seconds: Int64) {
        guard self.beginField() else { return }
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = CivilCalendar.civil(days: days)
        Self.appendPadded(year, digits: 4, to: &self.bytes)
        self.bytes.append(ASCII.slash)
        Self.appendPadded(month, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.slash)
        Self.appendPadded(day, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.space)
        Self.appendPadded(secondOfDay / 3600, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.colon)
        Self.appendPadded(secondOfDay / 60 % 60, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.colon)
        Self.appendPadded(secondOfDay % 60, digits: 2, to: &self.bytes)
    }

    /// `HH:MM:SS` (hours at least two digits).
    mutating func duration(_ seconds: Int) {
        guard self.beginField() else { return }
        Self.appendPadded(seconds / 3600, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.colon)
        Self.appendPadded(seconds / 60 % 60, digits: 2, to: &self.bytes)
        self.bytes.append(ASCII.colon)
        Self.appendPadded(seconds % 60, digits: 2, to: &self.bytes)
    }

    /// A fixed-point amount: `units / 10^scale`, with at least `integerDigits` digits before the
    /// point (zero-padded) and the whole left-padded with spaces to `fieldWidth` (`   0.0618`).
    mutating func amount(units: Int, scale: Int, integerDigits: Int = 1, fieldWidth: Int = 0) {
        guard self.beginField() else { return }
        var divisor = 1
        for _ in 0..<scale { divisor *= 10 }
        var text: [UInt8] = []
        Self.appendPadded(units / divisor, digits: integerDigits, to: &text)
        if scale > 0 {
            text.append(ASCII.period)
            Self.appendPadded(units % divisor, digits: scale, to: &text)
        }
        for _ in text.count..<max(fieldWidth, text.count) { self.bytes.append(ASCII.space) }
        self.bytes.append(contentsOf: text)
    }

    /// Pads the line with empty fields up to `width`.
    mutating func finish() {
        while self.fieldCount < self.width { self.empty() }
    }

    // MARK: - Digits

    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        precondition(value >= 0, "only non-negative numbers are written")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var remainder = value
        while divisor > 0 {
            bytes.append(ASCII.zero + UInt8(remainder / divisor))
            remainder %= divisor
            divisor /= 10
        }
    }

    static func appendPadded(_ value: Int, digits: Int, to bytes: inout [UInt8]) {
        var width = 1
        var limit = 10
        while limit <= value { width += 1; limit *= 10 }
        for _ in width..<max(digits, width) { bytes.append(ASCII.zero) }
        Self.appendDecimal(value, to: &bytes)
    }
}
