/// Reads typed values from the fields of one line. Internal to ``SMDRParser``.
///
/// Every reader works on byte indices into the line, reads digits with bounded loops (no
/// arithmetic can overflow), and throws an ``SMDRParseError`` that names the field and the byte
/// offset of the field (or of the bad component, for dates and durations). Text is turned into
/// `String` only here, once per field.
///
/// The reader is immutable and used from a `let`, so calling it never copies the field table;
/// leniency flags are passed `inout`.
struct FieldReader {
    /// The longest run of significant digits read into an `Int`/`Int64` (10^18 < 2^63).
    static let maximumSignificantDigits = 18
    /// The longest hour count accepted in Connected Time (`999999999:59:59`).
    static let maximumDurationHourDigits = 9

    let bytes: UnsafeBufferPointer<UInt8>
    let table: FieldTable
    /// The whole line is valid UTF-8, so every field is (a comma never splits a UTF-8 sequence)
    /// and text fields need no validation of their own.
    let isValidUTF8: Bool

    init(bytes: UnsafeBufferPointer<UInt8>, table: FieldTable) {
        self.bytes = bytes
        self.table = table
        self.isValidUTF8 = table.isASCII || UTF8Validation.isValid(bytes, from: table.begin, to: table.end)
    }

    // MARK: - Text

    /// The field as written, as a `String`.
    @inline(__always)
    func text(_ field: CallRecord.Field, _ flags: inout CallRecord.Flags) -> String {
        let (start, end) = self.table.range(field)
        return self.text(start, end, &flags)
    }

    /// `bytes[start..<end]` as a `String`; invalid UTF-8 is repaired and flagged.
    @inline(__always)
    func text(_ start: Int, _ end: Int, _ flags: inout CallRecord.Flags) -> String {
        guard start < end else { return "" }
        let slice = UnsafeBufferPointer(rebasing: self.bytes[start..<end])
        if !self.isValidUTF8, !UTF8Validation.isValid(self.bytes, from: start, to: end) {
            flags.insert(.invalidUTF8)
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// The fields after 37, as written.
    func extraFields(_ flags: inout CallRecord.Flags) -> [String] {
        guard self.table.count > FieldTable.typedFieldCount else { return [] }
        var result: [String] = []
        result.reserveCapacity(self.table.count - FieldTable.typedFieldCount)
        let end = self.table.end
        var start = self.table.extraStart
        var index = start
        while index < end {
            if self.bytes[index] == ASCII.comma {
                result.append(self.text(start, index, &flags))
                start = index + 1
            }
            index += 1
        }
        result.append(self.text(start, end, &flags))
        return result
    }

    // MARK: - Integers

    /// `start..<end` without the spaces around it.
    @inline(__always)
    func trimmingSpaces(_ start: Int, _ end: Int) -> (start: Int, end: Int) {
        var start = start
        var end = end
        while start < end, self.bytes[start] == ASCII.space { start += 1 }
        while end > start, self.bytes[end - 1] == ASCII.space { end -= 1 }
        return (start, end)
    }

    /// The unsigned decimal number in `start..<end` (not empty, digits only, leading zeros allowed,
    /// at most ``maximumSignificantDigits`` significant digits); `nil` otherwise.
    @inline(__always)
    func unsignedValue(_ start: Int, _ end: Int) -> Int? {
        guard start < end else { return nil }
        var index = start
        while index < end - 1, self.bytes[index] == ASCII.zero { index += 1 }
        guard end - index <= Self.maximumSignificantDigits else { return nil }
        var value = 0
        while index < end {
            let digit = ASCII.digitValue(self.bytes[index])
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        return value
    }

    /// A required whole number of seconds or a Call ID: digits, spaces around them allowed.
    func integer(_ field: CallRecord.Field) throws(SMDRParseError) -> Int {
        let (fieldStart, fieldEnd) = self.table.range(field)
        let (start, end) = self.trimmingSpaces(fieldStart, fieldEnd)
        guard let value = self.unsignedValue(start, end) else {
            throw SMDRParseError(code: .invalidInteger, field: field, offset: fieldStart)
        }
        return value
    }

    /// An optional whole number: empty (or only spaces) is `nil`.
    func optionalInteger(_ field: CallRecord.Field) throws(SMDRParseError) -> Int? {
        let (fieldStart, fieldEnd) = self.table.range(field)
        let (start, end) = self.trimmingSpaces(fieldStart, fieldEnd)
        guard start < end else { return nil }
        guard let value = self.unsignedValue(start, end) else {
            throw SMDRParseError(code: .invalidInteger, field: field, offset: fieldStart)
        }
        return value
    }

    // MARK: - Decimals

    /// An Advice-of-Charge amount: spaces around it, an optional sign, digits with an optional
    /// fraction (`   0.0618`, `0001.45`, `1.00`, `12`, `-2.5`). Empty is `nil`.
    func decimal(_ field: CallRecord.Field) throws(SMDRParseError) -> ExactDecimal? {
        let (fieldStart, fieldEnd) = self.table.range(field)
        let (start, end) = self.trimmingSpaces(fieldStart, fieldEnd)
        guard start < end else { return nil }
        let failure = SMDRParseError(code: .invalidDecimal, field: field, offset: fieldStart)
        var index = start
        var isNegative = false
        if self.bytes[index] == ASCII.minus || self.bytes[index] == ASCII.plus {
            isNegative = self.bytes[index] == ASCII.minus
            index += 1
        }
        var units: Int64 = 0
        var significantDigits = 0
        var digitCount = 0
        var scale = 0
        var isFraction = false
        while index < end {
            let byte = self.bytes[index]
            let digit = ASCII.digitValue(byte)
            if digit < 10 {
                digitCount += 1
                if isFraction { scale += 1 }
                if units != 0 || digit != 0 || isFraction { significantDigits += 1 }
                guard significantDigits <= Self.maximumSignificantDigits else { throw failure }
                units = units &* 10 &+ Int64(digit)
            } else if byte == ASCII.period, !isFraction {
                isFraction = true
            } else {
                throw failure
            }
            index += 1
        }
        guard digitCount > 0 else { throw failure }
        return ExactDecimal(units: isNegative ? -units : units, scale: scale)
    }

    // MARK: - Dates and durations

    /// `YYYY/MM/DD HH:MM:SS` or `YYYY/MM/DD HH:MM`. Returns the value and whether seconds were written.
    func dateTime(_ field: CallRecord.Field) throws(SMDRParseError) -> (value: LocalDateTime, hasSeconds: Bool) {
        let (start, end) = self.table.range(field)
        func invalidDate(_ offset: Int) -> SMDRParseError {
            SMDRParseError(code: .invalidDate, field: field, offset: offset)
        }
        func invalidTime(_ offset: Int) -> SMDRParseError {
            SMDRParseError(code: .invalidTime, field: field, offset: offset)
        }
        guard let year = self.digits(at: start, count: 4, end: end), year > 0 else { throw invalidDate(start) }
        guard self.byte(at: start + 4, end: end) == ASCII.slash else { throw invalidDate(start + 4) }
        guard let month = self.digits(at: start + 5, count: 2, end: end), (1...12).contains(month) else {
            throw invalidDate(start + 5)
        }
        guard self.byte(at: start + 7, end: end) == ASCII.slash else { throw invalidDate(start + 7) }
        guard let day = self.digits(at: start + 8, count: 2, end: end),
            day >= 1, day <= Self.daysIn(month: month, year: year)
        else { throw invalidDate(start + 8) }
        guard self.byte(at: start + 10, end: end) == ASCII.space else { throw invalidDate(start + 10) }
        guard let hour = self.digits(at: start + 11, count: 2, end: end) else { throw invalidDate(start + 11) }
        guard hour < 24 else { throw invalidTime(start + 11) }
        guard self.byte(at: start + 13, end: end) == ASCII.colon else { throw invalidDate(start + 13) }
        guard let minute = self.digits(at: start + 14, count: 2, end: end) else { throw invalidDate(start + 14) }
        guard minute < 60 else { throw invalidTime(start + 14) }
        if end == start + 16 {
            return (LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute), false)
        }
        guard self.byte(at: start + 16, end: end) == ASCII.colon else { throw invalidDate(start + 16) }
        guard let second = self.digits(at: start + 17, count: 2, end: end) else { throw invalidDate(start + 17) }
        guard second < 60 else { throw invalidTime(start + 17) }
        guard end == start + 19 else { throw invalidDate(start + 19) }
        return (LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second), true)
    }

    /// Connected Time `H+:MM:SS` (hours may exceed 23), in seconds; spaces around it allowed.
    func duration(_ field: CallRecord.Field) throws(SMDRParseError) -> Int {
        let (fieldStart, fieldEnd) = self.table.range(field)
        let (start, end) = self.trimmingSpaces(fieldStart, fieldEnd)
        func invalid(_ offset: Int) -> SMDRParseError {
            SMDRParseError(code: .invalidDuration, field: field, offset: offset)
        }
        var index = start
        var hours = 0
        while index < end, ASCII.digitValue(self.bytes[index]) < 10 {
            guard index - start < Self.maximumDurationHourDigits else { throw invalid(start) }
            hours = hours &* 10 &+ Int(ASCII.digitValue(self.bytes[index]))
            index += 1
        }
        guard index > start else { throw invalid(start == end ? fieldStart : start) }
        guard self.byte(at: index, end: end) == ASCII.colon else { throw invalid(index) }
        guard let minutes = self.digits(at: index + 1, count: 2, end: end), minutes < 60 else {
            throw invalid(index + 1)
        }
        guard self.byte(at: index + 3, end: end) == ASCII.colon else { throw invalid(index + 3) }
        guard let seconds = self.digits(at: index + 4, count: 2, end: end), seconds < 60 else {
            throw invalid(index + 4)
        }
        guard end == index + 6 else { throw invalid(index + 6) }
        return hours * 3600 + minutes * 60 + seconds
    }

    /// Exactly `count` digits at `index`, all before `end`.
    @inline(__always)
    func digits(at index: Int, count: Int, end: Int) -> Int? {
        guard index + count <= end else { return nil }
        var value = 0
        for position in index..<(index + count) {
            let digit = ASCII.digitValue(self.bytes[position])
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// The byte at `index`, or `nil` past `end`.
    @inline(__always)
    func byte(at index: Int, end: Int) -> UInt8? {
        index < end ? self.bytes[index] : nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    // MARK: - Single-character fields

    /// Direction `I` or `O`.
    func direction(_ field: CallRecord.Field) throws(SMDRParseError) -> Direction {
        let (start, end) = self.table.range(field)
        if end - start == 1 {
            switch self.bytes[start] {
            case ASCII.upperI: return .inbound
            case ASCII.upperO: return .outbound
            default: break
            }
        }
        throw SMDRParseError(code: .invalidDirection, field: field, offset: start)
    }

    /// A `0`/`1` field: `true`/`false`, `nil` for anything else.
    @inline(__always)
    func binary(_ field: CallRecord.Field) -> Bool? {
        let (start, end) = self.table.range(field)
        guard end - start == 1 else { return nil }
        switch self.bytes[start] {
        case ASCII.one: return true
        case ASCII.zero: return false
        default: return nil
        }
    }

    /// A required `0`/`1` flag (Continuation).
    func flag(_ field: CallRecord.Field) throws(SMDRParseError) -> Bool {
        guard let value = self.binary(field) else {
            throw SMDRParseError(code: .invalidFlag, field: field, offset: self.table.range(field).start)
        }
        return value
    }

    /// An optional `0`/`1` flag (AuthValid): empty is `nil`.
    func optionalFlag(_ field: CallRecord.Field) throws(SMDRParseError) -> Bool? {
        let (start, end) = self.table.range(field)
        guard start < end else { return nil }
        return try self.flag(field)
    }

    // MARK: - Structured text

    /// A party device: the code as written, classified from its bytes and, for a `V` code
    /// outside the documented ranges, from the party name in `nameField`.
    func device(_ field: CallRecord.Field, name nameField: CallRecord.Field, _ flags: inout CallRecord.Flags) -> Device {
        let (start, end) = self.table.range(field)
        guard start < end else { return Device(code: "", kind: .none, number: nil) }
        let (nameStart, nameEnd) = self.table.range(nameField)
        let (kind, number) = DeviceClassifier.classify(
            UnsafeBufferPointer(rebasing: self.bytes[start..<end]),
            name: UnsafeBufferPointer(rebasing: self.bytes[nameStart..<max(nameStart, nameEnd)])
        )
        return Device(code: self.text(start, end, &flags), kind: kind, number: number)
    }

    /// Caller, and its number and host parts (`number@host` for SIP callers).
    func caller(
        _ field: CallRecord.Field, _ flags: inout CallRecord.Flags
    ) -> (caller: String, number: String, host: String?) {
        let (start, end) = self.table.range(field)
        let caller = self.text(start, end, &flags)
        var index = start
        while index < end {
            if self.bytes[index] == ASCII.at {
                return (caller, self.text(start, index, &flags), self.text(index + 1, end, &flags))
            }
            index += 1
        }
        return (caller, caller, nil)
    }

    /// External Targeting Cause: `nil` when empty.
    func targetingCause(_ field: CallRecord.Field, _ flags: inout CallRecord.Flags) -> TargetingCause? {
        let (fieldStart, fieldEnd) = self.table.range(field)
        let (start, end) = self.trimmingSpaces(fieldStart, fieldEnd)
        guard start < end else { return nil }
        let split = TargetingCauseSplitter.split(UnsafeBufferPointer(rebasing: self.bytes[start..<end]))
        let targeter = self.text(start, start + split.targeterEnd, &flags)
        var reason: String?
        if let reasonStart = split.reasonStart { reason = self.text(start + reasonStart, end, &flags) }
        return TargetingCause(targeter: targeter, reason: reason)
    }
}
