/// A calendar date with no time zone: a site's local date (`2026-04-01`), as register validity
/// dates and charge dates are written.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (a real date of the proleptic Gregorian calendar); `nil` otherwise.
    public init?(iso text: some StringProtocol) {
        var text = String(text)
        guard let date = text.withUTF8({ LocalDate(isoBytes: $0) }) else { return nil }
        self = date
    }

    /// ``init(iso:)`` over UTF-8 bytes, for readers that have them (a `COPY` field).
    package init?(isoBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = ASCII.decimal(bytes, 0..<4), let month = ASCII.decimal(bytes, 5..<7), let day = ASCII.decimal(bytes, 8..<10),
            year >= 1, (1...12).contains(month), day >= 1, day <= LocalDate.days(inMonth: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return "\(pad(self.year, 4))-\(pad(self.month, 2))-\(pad(self.day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Days in `month` (1–12) of `year`.
    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension LocalDateTime {
    /// Parses `YYYY-MM-DD HH:MM:SS` (the form of ``description``); `nil` for anything else.
    public init?(iso text: some StringProtocol) {
        var text = String(text)
        guard let time = text.withUTF8({ LocalDateTime(isoBytes: $0) }) else { return nil }
        self = time
    }

    /// ``init(iso:)`` over UTF-8 bytes, for readers that have them (a `COPY` field).
    package init?(isoBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 19, bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let date = LocalDate(isoBytes: UnsafeBufferPointer(rebasing: bytes[0..<10])),
            let hour = ASCII.decimal(bytes, 11..<13), let minute = ASCII.decimal(bytes, 14..<16), let second = ASCII.decimal(bytes, 17..<19),
            hour < 24, minute < 60, second < 60
        else { return nil }
        self.init(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second)
    }

    /// The date part.
    public var date: LocalDate { LocalDate(year: self.year, month: self.month, day: self.day) }
}

extension LocalDate {
    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate {
        let (year, month, day) = CivilCalendar.civil(days: CivilCalendar.days(year: self.year, month: self.month, day: self.day) + days)
        return LocalDate(year: year, month: month, day: day)
    }

    /// Days from `other` to this date (negative when `other` is later).
    public func daysSince(_ other: LocalDate) -> Int {
        CivilCalendar.days(year: self.year, month: self.month, day: self.day)
            - CivilCalendar.days(year: other.year, month: other.month, day: other.day)
    }
}

extension LocalDate {
    /// The first day of this date's month.
    public var firstOfMonth: LocalDate { LocalDate(year: self.year, month: self.month, day: 1) }
    /// The last day of this date's month.
    public var lastOfMonth: LocalDate {
        LocalDate(year: self.year, month: self.month, day: LocalDate.days(inMonth: self.month, year: self.year))
    }
    /// The first day of the next month.
    public var firstOfNextMonth: LocalDate { self.lastOfMonth.adding(days: 1) }
}

extension LocalDate {
    /// Parses a month, `YYYY-MM` (year 0001–9999, month 01–12), as its first day; `nil` for
    /// anything else (`2026-4`, `2026-04-01`, ` 2026-04`).
    public init?(yearMonth text: some StringProtocol) {
        guard text.utf8.count == 7, text.utf8.dropFirst(4).first == UInt8(ascii: "-") else { return nil }
        self.init(iso: String(text) + "-01")
    }

    /// `YYYY-MM`: this date's month, as ``init(yearMonth:)`` reads it.
    public var yearMonthText: String { String(self.description.prefix(7)) }
}
