import SMDRCore
import Testing

/// Malformed fields, dates and durations, flags: what the parser rejects and where.
extension SMDRParserTests {
    // MARK: - Malformed fields

    struct Malformed: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [String]
        var code: SMDRParseError.Code
        var field: CallRecord.Field?
        /// Offset within the field (for dates and durations, the bad component).
        var delta: Int

        init(_ name: String, _ overrides: [Int: String], width: Int = 17, _ code: SMDRParseError.Code,
             _ field: CallRecord.Field?, delta: Int = 0) {
            self.name = name
            self.values = fields(overrides, width: width)
            self.code = code
            self.field = field
            self.delta = delta
        }

        var bytes: [UInt8] { Array(self.values.joined(separator: ",").utf8) }
        var expected: SMDRParseError {
            let base = self.field.map { offset(ofField: $0.number, in: self.values) } ?? 0
            return SMDRParseError(code: self.code, field: self.field, offset: base + self.delta)
        }
        var testDescription: String { self.name }
    }

    static let malformed: [Malformed] = [
        // Call Start
        .init("dashes in the date", [1: "2024-03-15 14:02:07"], .invalidDate, .callStart, delta: 4),
        .init("month 13", [1: "2024/13/15 14:02:07"], .invalidDate, .callStart, delta: 5),
        .init("month 0", [1: "2024/00/15 14:02:07"], .invalidDate, .callStart, delta: 5),
        .init("29 February in a common year", [1: "2023/02/29 14:02:07"], .invalidDate, .callStart, delta: 8),
        .init("29 February 1900", [1: "1900/02/29 14:02:07"], .invalidDate, .callStart, delta: 8),
        .init("31 April", [1: "2024/04/31 14:02:07"], .invalidDate, .callStart, delta: 8),
        .init("day 0", [1: "2024/04/00 14:02:07"], .invalidDate, .callStart, delta: 8),
        .init("year 0", [1: "0000/03/15 14:02:07"], .invalidDate, .callStart, delta: 0),
        .init("hour 24", [1: "2024/03/15 24:00:00"], .invalidTime, .callStart, delta: 11),
        .init("minute 60", [1: "2024/03/15 14:60:00"], .invalidTime, .callStart, delta: 14),
        .init("second 60", [1: "2024/03/15 14:02:60"], .invalidTime, .callStart, delta: 17),
        .init("a T between date and time", [1: "2024/03/15T14:02:07"], .invalidDate, .callStart, delta: 10),
        .init("one-digit second", [1: "2024/03/15 14:02:7"], .invalidDate, .callStart, delta: 17),
        .init("trailing space after Call Start", [1: "2024/03/15 14:02:07 "], .invalidDate, .callStart, delta: 19),
        .init("date only", [1: "2024/03/15"], .invalidDate, .callStart, delta: 10),
        .init("empty Call Start", [1: ""], .invalidDate, .callStart),
        .init("elided date", [1: "\u{2026} 16:33:19"], .invalidDate, .callStart),
        .init("letter in the hour", [1: "2024/03/15 1x:02:07"], .invalidDate, .callStart, delta: 11),
        // Connected Time
        .init("no seconds in Connected Time", [2: "00:12"], .invalidDuration, .connectedTime, delta: 5),
        .init("minute 60 in Connected Time", [2: "00:60:00"], .invalidDuration, .connectedTime, delta: 3),
        .init("second 60 in Connected Time", [2: "00:00:60"], .invalidDuration, .connectedTime, delta: 6),
        .init("empty Connected Time", [2: ""], .invalidDuration, .connectedTime),
        .init("negative Connected Time", [2: "-1:00:00"], .invalidDuration, .connectedTime),
        .init("ten hour digits", [2: "1234567890:00:00"], .invalidDuration, .connectedTime),
        .init("seconds only", [2: "42"], .invalidDuration, .connectedTime, delta: 2),
        .init("junk after Connected Time", [2: "00:00:01x"], .invalidDuration, .connectedTime, delta: 8),
        // Whole numbers
        .init("letters in Ring Time", [3: "5s"], .invalidInteger, .ringTime),
        .init("empty Ring Time", [3: ""], .invalidInteger, .ringTime),
        .init("negative Ring Time", [3: "-1"], .invalidInteger, .ringTime),
        .init("letter in Call ID", [10: "10000x"], .invalidInteger, .callID),
        .init("empty Call ID", [10: ""], .invalidInteger, .callID),
        .init("19-digit Call ID", [10: "1234567890123456789"], .invalidInteger, .callID),
        .init("fraction in Hold Time", [16: "1.5"], .invalidInteger, .holdTime),
        .init("space inside Park Time", [17: "1 2"], .invalidInteger, .parkTime),
        .init("letters in Call Units", [24: "one"], width: 30, .invalidInteger, .callUnits),
        .init("sign in Units at Last User Change", [25: "+1"], width: 30, .invalidInteger, .unitsAtLastUserChange),
        .init("fraction in Cost per Unit", [26: "10.7"], width: 30, .invalidInteger, .costPerUnit),
        .init("letters in caller unique ID", [32: "abc"], width: 35, .invalidInteger, .callerUniqueCallID),
        .init("huge called unique ID", [34: String(repeating: "9", count: 40)], width: 35, .invalidInteger,
              .calledUniqueCallID),
        .init("word in Consent Directive", [36: "yes"], width: 38, .invalidInteger, .consentDirective),
        // Single characters
        .init("direction X", [5: "X"], .invalidDirection, .direction),
        .init("lower-case direction", [5: "i"], .invalidDirection, .direction),
        .init("empty direction", [5: ""], .invalidDirection, .direction),
        .init("two-letter direction", [5: "IO"], .invalidDirection, .direction),
        .init("Continuation 2", [11: "2"], .invalidFlag, .continuation),
        .init("empty Continuation", [11: ""], .invalidFlag, .continuation),
        .init("Continuation 01", [11: "01"], .invalidFlag, .continuation),
        .init("AuthValid Y", [18: "Y"], width: 30, .invalidFlag, .authValid),
        // Decimals
        .init("two points in Call Charge", [21: "1.2.3"], width: 30, .invalidDecimal, .callCharge),
        .init("lone point in Call Charge", [21: "."], width: 30, .invalidDecimal, .callCharge),
        .init("lone sign in Call Charge", [21: "-"], width: 30, .invalidDecimal, .callCharge),
        .init("exponent in Call Charge", [21: "1e3"], width: 30, .invalidDecimal, .callCharge),
        .init("currency sign in amount", [23: "£1.45"], width: 30, .invalidDecimal, .amountAtLastUserChange),
        .init("19 significant digits", [27: "1234567890.123456789"], width: 30, .invalidDecimal, .markUp),
        // SMDR Record Time
        .init("Record Time without a time", [35: "2024/03/15"], width: 35, .invalidDate, .recordTime, delta: 10),
        .init("Record Time hour 25", [35: "2024/03/15 25:00:00"], width: 35, .invalidTime, .recordTime, delta: 11),
        // Which error wins
        .init("first bad field wins", [3: "x", 10: "y"], .invalidInteger, .ringTime),
        .init("Call Start before everything", [1: "x", 2: "y"], .invalidDate, .callStart),
    ]

    @Test(arguments: Self.malformed)
    func rejectsAMalformedField(_ example: Malformed) {
        #expect(throws: example.expected) { try parse(example.bytes) }
    }

    @Test(arguments: [
        ("", 0), ("\r\n", 0), ("\0\0\0", 0), ("\0\r\n\0", 0),
    ] as [(String, Int)])
    func rejectsAnEmptyLine(text: String, offset: Int) {
        #expect(throws: SMDRParseError(code: .emptyLine, field: nil, offset: offset)) {
            try parse(Array(text.utf8))
        }
    }

    @Test func rejectsFewerThan17FieldsBeforeLookingAtAnyField() {
        let sixteen = Array(fields().prefix(16).joined(separator: ",").utf8)
        #expect(throws: SMDRParseError(code: .tooFewFields, field: nil, offset: sixteen.count)) {
            try parse(sixteen)
        }
        #expect(throws: SMDRParseError(code: .tooFewFields, field: nil, offset: 7)) {
            try parse(Array("garbage\r\n".utf8) + [0])  // offset: end of the line without its terminator
        }
        #expect(throws: SMDRParseError(code: .tooFewFields, field: nil, offset: 3)) { try parse(Array("a,b".utf8)) }
    }

    @Test func describesAnError() {
        let error = SMDRParseError(code: .invalidDate, field: .callStart, offset: 4)
        #expect(error.description == "invalidDate in field 1 (Call Start) at byte 4")
        #expect(SMDRParseError.Code("invalidDate") == .invalidDate)
    }

    // MARK: - Dates and durations

    @Test func acceptsLeapDaysAndCallStartWithoutSeconds() throws {
        #expect(try parse(line([1: "2024/02/29 00:00:00"])).callStart.day == 29)
        #expect(try parse(line([1: "2000/02/29 23:59:59"])).callStart.second == 59)
        let noSeconds = try parse(line([1: "2008/07/09 17:55"]))
        #expect(noSeconds.callStart == LocalDateTime(year: 2008, month: 7, day: 9, hour: 17, minute: 55, second: 0))
        #expect(noSeconds.flags == .callStartWithoutSeconds)
        let recordNoSeconds = try parse(line([35: "2008/07/09 18:01"], width: 35))
        #expect(recordNoSeconds.recordTime == LocalDateTime(year: 2008, month: 7, day: 9, hour: 18, minute: 1))
        #expect(recordNoSeconds.flags == .recordTimeWithoutSeconds)
    }

    @Test(arguments: [
        ("00:00:00", 0), ("00:00:05", 5), ("0:00:05", 5), ("01:02:03", 3723), ("23:59:59", 86399),
        ("100:00:00", 360_000), ("999999999:59:59", 999_999_999 * 3600 + 3599), (" 00:01:00 ", 60),
    ] as [(String, Int)])
    func readsConnectedTime(text: String, seconds: Int) throws {
        #expect(try parse(line([2: text])).connectedSeconds == seconds)
    }

    @Test func readsWholeNumbersWithSpacesAndLeadingZeros() throws {
        let record = try parse(line([3: " 7", 10: "0000000000000000000001000123", 16: "0 ", 17: " 12 "]))
        #expect(record.ringSeconds == 7)
        #expect(record.callID == 1_000_123)
        #expect(record.holdSeconds == 0)
        #expect(record.parkSeconds == 12)
        #expect(try parse(line([10: "999999999999999999"])).callID == 999_999_999_999_999_999)
        let optional = try parse(line([24: "  ", 25: " 3", 26: "10700", 32: "0", 36: "6"], width: 36))
        #expect(optional.callUnits == nil && optional.unitsAtLastUserChange == 3 && optional.costPerUnit == 10700)
        #expect(optional.callerUniqueCallID == 0 && optional.consentDirective == 6)
    }

    // MARK: - Flags and single characters

    @Test(arguments: [("0", false), ("1", true), ("I", nil), ("", nil), ("2", nil), (" 1", nil)] as [(String, Bool?)])
    func readsIsInternalAndFlagsAnythingButZeroOrOne(text: String, value: Bool?) throws {
        let record = try parse(line([9: text]))
        #expect(record.isInternal == value)
        #expect(record.flags.contains(.nonBinaryIsInternal) == (value == nil))
    }

    @Test func readsContinuationAndAuthValid() throws {
        #expect(try parse(line([11: "1"])).isContinued)
        #expect(try parse(line([18: "1"], width: 18)).authValid == true)
        #expect(try parse(line([18: "0"], width: 18)).authValid == false)
        #expect(try parse(line([18: ""], width: 18)).authValid == nil)
        #expect(try parse(line([5: "I"])).direction == .inbound)
    }
}
