import SMDRCore
import Testing

struct SMDRParserTests {
    // MARK: - Widths

    @Test func parsesTheBaseLineAndLeavesAbsentFieldsEmpty() throws {
        let record = try parse(line())
        #expect(record.callStart == LocalDateTime(year: 2024, month: 3, day: 15, hour: 14, minute: 2, second: 7))
        #expect(record.connectedSeconds == 12 * 60 + 34)
        #expect(record.ringSeconds == 5)
        #expect(record.caller == "2001" && record.callerNumber == "2001" && record.callerHost == nil)
        #expect(record.direction == .outbound)
        #expect(record.calledNumber == "901632960123" && record.dialledNumber == "901632960123")
        #expect(record.accountCode == "")
        #expect(record.isInternal == false)
        #expect(record.callID == 1_000_123)
        #expect(record.isContinued == false)
        #expect(record.party1Device == Device(code: "E2001", kind: .extension, number: 2001))
        #expect(record.party1Name == "Jo Smith")
        #expect(record.party2Device == Device(code: "T9001", kind: .trunk, number: 9001))
        #expect(record.party2Name == "Line 1.3")
        #expect(record.holdSeconds == 3 && record.parkSeconds == 0)
        #expect(record.authValid == nil && record.authCode == "" && record.userCharged == "")
        #expect(record.callCharge == nil && record.currency == "" && record.amountAtLastUserChange == nil)
        #expect(record.callUnits == nil && record.unitsAtLastUserChange == nil && record.costPerUnit == nil)
        #expect(record.markUp == nil && record.targetingCause == nil)
        #expect(record.targeterID == "" && record.targetedNumber == "")
        #expect(record.callingPartyServerIP == "" && record.callerUniqueCallID == nil)
        #expect(record.calledPartyServerIP == "" && record.calledUniqueCallID == nil)
        #expect(record.recordTime == nil && record.consentDirective == nil && record.callingNumberVerification == "")
        #expect(record.extraFields == [])
        #expect(record.fieldCount == 17)
        #expect(record.flags == [])
    }

    /// A line filled up to 37 fields with real-looking values; `width` cuts it or pads it.
    static let fullFields: [Int: String] = [
        18: "1", 19: "n/a", 20: "Zim12", 21: "   0.0618", 22: "GBP", 23: "0001.45", 24: "1", 25: "0",
        26: "618", 27: "1.00", 28: "U XfP", 29: "Extn207", 30: "9416", 31: "192.168.0.130", 32: "38411",
        33: "192.168.0.131", 34: "38414", 35: "2024/03/15 14:14:46", 36: "2", 37: "TN-Validation-Passed-A",
        38: "", 39: "x y", 40: "\"z\"",
    ]

    @Test(arguments: [17, 27, 30, 31, 34, 35, 38, 40])
    func parsesEveryWidthByPosition(width: Int) throws {
        let values = fields(Self.fullFields.filter { $0.key <= width }, width: width)
        let record = try parse(Array(values.joined(separator: ",").utf8))
        #expect(record.fieldCount == width)
        #expect(record.callID == 1_000_123)
        #expect(record.authValid == (width >= 18 ? true : nil))
        #expect(record.authCode == (width >= 19 ? "n/a" : ""))
        #expect(record.userCharged == (width >= 20 ? "Zim12" : ""))
        #expect(record.callCharge == (width >= 21 ? ExactDecimal(units: 618, scale: 4) : nil))
        #expect(record.currency == (width >= 22 ? "GBP" : ""))
        #expect(record.amountAtLastUserChange == (width >= 23 ? ExactDecimal(units: 145, scale: 2) : nil))
        #expect(record.callUnits == (width >= 24 ? 1 : nil))
        #expect(record.unitsAtLastUserChange == (width >= 25 ? 0 : nil))
        #expect(record.costPerUnit == (width >= 26 ? 618 : nil))
        #expect(record.markUp == (width >= 27 ? ExactDecimal(units: 100, scale: 2) : nil))
        #expect(record.targetingCause == (width >= 28 ? TargetingCause(targeter: "U", reason: "XfP") : nil))
        #expect(record.targeterID == (width >= 29 ? "Extn207" : ""))
        #expect(record.targetedNumber == (width >= 30 ? "9416" : ""))
        #expect(record.callingPartyServerIP == (width >= 31 ? "192.168.0.130" : ""))
        #expect(record.callerUniqueCallID == (width >= 32 ? 38411 : nil))
        #expect(record.calledPartyServerIP == (width >= 33 ? "192.168.0.131" : ""))
        #expect(record.calledUniqueCallID == (width >= 34 ? 38414 : nil))
        let recordTime = LocalDateTime(year: 2024, month: 3, day: 15, hour: 14, minute: 14, second: 46)
        #expect(record.recordTime == (width >= 35 ? recordTime : nil))
        #expect(record.consentDirective == (width >= 36 ? 2 : nil))
        #expect(record.callingNumberVerification == (width >= 37 ? "TN-Validation-Passed-A" : ""))
        #expect(record.extraFields == Array(["", "x y", "\"z\""].prefix(max(0, width - 37))))
        #expect(record.flags == [])
    }

    @Test func keepsAnyNumberOfExtraFields() throws {
        let record = try parse(line(width: 37) + Array(",a,,b,c,".utf8))
        #expect(record.fieldCount == 42)
        #expect(record.extraFields == ["a", "", "b", "c", ""])
    }

    @Test func parsesADeltaServerStyle27FieldDataLine() throws {
        let record = try parse(line([21: "1.20", 22: "GBP", 24: "2", 26: "6000", 27: "100"], width: 27))
        #expect(record.fieldCount == 27)
        #expect(record.callCharge == ExactDecimal(units: 120, scale: 2))
        #expect(record.markUp == ExactDecimal(units: 100, scale: 0))
        #expect(record.targetingCause == nil)
    }

    // MARK: - Terminators, NUL bytes, framing

    @Test(arguments: ["\r\n", "\n", "\r", "\r\n\r\n", "\0", "\r\n\0\0", "\n\r"])
    func ignoresTrailingTerminatorBytes(terminator: String) throws {
        let plain = try parse(line())
        #expect(try parse(line() + Array(terminator.utf8)) == plain)
        // The last field is not corrupted, including when it is text.
        let textLast = try parse(line(width: 30) + Array("\(terminator)".utf8))
        #expect(textLast.targetedNumber == "")
        let withTarget = try parse(line([30: "9416"], width: 30) + Array(terminator.utf8))
        #expect(withTarget.targetedNumber == "9416")
    }

    @Test func skipsLeadingNULBytesAndCountsThemInOffsets() throws {
        let record = try parse([0, 0] + line())
        #expect(record == (try parse(line())))
        #expect(throws: SMDRParseError(code: .invalidInteger, field: .ringTime, offset: 2 + 29)) {
            try parse([0, 0] + line([3: "x"]))
        }
    }

    @Test func skipsAByteOrderMarkAtTheStartOfTheLine() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try parse(bom + line()) == (try parse(line())))
        #expect(try parse([0] + bom + line()) == (try parse(line())))
        #expect(throws: SMDRParseError(code: .invalidInteger, field: .ringTime, offset: 3 + 29)) {
            try parse(bom + line([3: "x"]))
        }
        #expect(throws: SMDRParseError(code: .emptyLine, field: nil, offset: 0)) { try parse(bom + [0x0D, 0x0A]) }
        // Only at the start: elsewhere it is text like any other.
        #expect(try parse(line([13: "\u{FEFF}Jo"])).party1Name == "\u{FEFF}Jo")
    }

    @Test func keepsNULBytesInsideTextAndRejectsThemInsideNumbers() throws {
        let record = try parse(line([13: "Jo\0e"]))
        #expect(record.party1Name == "Jo\0e")
        let values = fields([16: "1\02"])
        #expect(throws: SMDRParseError(code: .invalidInteger, field: .holdTime, offset: offset(ofField: 16, in: values))) {
            try parse(Array(values.joined(separator: ",").utf8))
        }
    }

    @Test func parsesLinesFramedFromAStreamWithMixedTerminatorsAndNULs() throws {
        let lines = [line(), line([10: "1000124", 13: "Тароватова М"]), line([10: "1000125"], width: 38)]
        var stream: [UInt8] = [0, 0]
        stream += lines[0] + Array("\r\n".utf8)
        stream += lines[1] + Array("\n\0\0\0".utf8)
        stream += lines[2] + Array("\r".utf8)
        let expected = try lines.map { try parse($0) }
        // Every chunk size, so terminators and multi-byte characters are split across reads.
        for chunkSize in 1...stream.count {
            var framer = LineFramer()
            var parsed: [CallRecord] = []
            var start = 0
            while start < stream.count {
                let chunk = stream[start..<min(start + chunkSize, stream.count)]
                try framer.append(chunk) { parsed.append(try SMDRParser().parse($0)) }
                start += chunkSize
            }
            if let last = framer.finish() { parsed.append(try SMDRParser().parse(last)) }
            #expect(parsed == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func rejectsALineTheFramerTruncated() throws {
        var framer = LineFramer(maximumLineLength: 40)
        var framed: [FramedLine] = []
        framer.append(line() + [0x0D, 0x0A]) { framed.append($0) }
        let truncated = try #require(framed.first)
        #expect(truncated.isTruncated)
        #expect(throws: SMDRParseError(code: .lineTooLong, field: nil, offset: 40)) {
            try SMDRParser().parse(truncated)
        }
        #expect(try SMDRParser().parse(FramedLine(bytes: line())) == (try parse(line())))
    }

    // MARK: - Entry points

    @Test func everyEntryPointGivesTheSameResult() throws {
        let bytes = line([13: "Zoë O'Brien"], width: 35)
        let expected = try parse(bytes)
        let viaSpan = try SMDRParser().parse(bytes.span)
        #expect(viaSpan == expected)
        #expect(try SMDRParser().parse(bytes[...]) == expected)
        #expect(try SMDRParser().parse(([9, 9] + bytes)[2...]) == expected)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(try SMDRParser().parse(text.utf8) == expected)
        #expect(try SMDRParser().parse(bytes.lazy.map { $0 }) == expected)  // not contiguous: copied
        var bad = bytes
        bad[0] = UInt8(ascii: "x")
        #expect(throws: SMDRParseError(code: .invalidDate, field: .callStart, offset: 0)) {
            try SMDRParser().parse(bad.lazy.map { $0 })
        }
    }

    @Test func parsingIsDeterministic() throws {
        let bytes = line([13: "Zo\u{00EB}", 28: "UFU"], width: 38)
        #expect(try parse(bytes) == (try parse(bytes)))
    }

    // MARK: - Text

    @Test func keepsTextExactlyAsWritten() throws {
        let record = try parse(line([
            4: " 2001 ", 6: "*47", 7: "8262623#", 8: "ACME-42 ", 13: "  Vol N VM ", 15: "\"Line 1\"", 19: "n/a",
            22: "€", 29: "O'Brien, Ltd"
        ], width: 30))
        #expect(record.caller == " 2001 " && record.callerNumber == " 2001 ")
        #expect(record.calledNumber == "*47" && record.dialledNumber == "8262623#")
        #expect(record.accountCode == "ACME-42 ")
        #expect(record.party1Name == "  Vol N VM ")
        #expect(record.party2Name == "\"Line 1\"")  // quotes are literal
        #expect(record.authCode == "n/a")
        #expect(record.currency == "€")
        #expect(record.targeterID == "O'Brien")  // a comma always ends a field
        #expect(record.targetedNumber == " Ltd")
        #expect(record.fieldCount == 31)
        #expect(record.flags == [])
    }

    @Test func keepsCyrillicAndAccentedNames() throws {
        let record = try parse(line([13: "Тароватова М", 15: "Zoë Ångström-Nuñez", 29: "Şükrü 日本"], width: 30))
        #expect(record.party1Name == "Тароватова М")
        #expect(record.party2Name == "Zoë Ångström-Nuñez")
        #expect(record.targeterID == "Şükrü 日本")
        #expect(!record.flags.contains(.invalidUTF8))
    }

    @Test(arguments: [
        ([0x4A, 0xFF, 0x6F], "J\u{FFFD}o"),  // a byte that is never UTF-8
        ([0x5A, 0x6F, 0xC3], "Zo\u{FFFD}"),  // a sequence cut by the comma
        ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}"),  // an overlong encoding of "/"
        ([0xD0, 0xA2, 0xED, 0xA0, 0x80], "Т\u{FFFD}\u{FFFD}\u{FFFD}"),  // a surrogate
        ([0xE2, 0x80], "\u{FFFD}"),  // "…" without its last byte
    ] as [([UInt8], String)])
    func repairsAndFlagsInvalidUTF8(name: [UInt8], repaired: String) throws {
        var bytes = line([13: "@@"])
        let at = try #require(bytes.firstRange(of: Array("@@".utf8)))
        bytes.replaceSubrange(at, with: name)
        let record = try parse(bytes)
        #expect(record.party1Name == repaired)
        #expect(record.flags.contains(.invalidUTF8))
        #expect(record.party2Name == "Line 1.3")
    }

    @Test func invalidUTF8ElsewhereInTheLineDoesNotFlagValidFields() throws {
        // The flag is about text fields; a stray byte in a numeric field is an error instead.
        var bytes = line([13: "Zoë"])
        #expect(try parse(bytes).flags == [])
        bytes[offset(ofField: 3, in: fields([13: "Zoë"]))] = 0xFF
        #expect(throws: SMDRParseError(code: .invalidInteger, field: .ringTime, offset: 29)) { try parse(bytes) }
    }

    // MARK: - SIP callers

    @Test(arguments: [
        ("12345@192.0.2.123", "12345", "192.0.2.123"),
        ("9145661757@172.16.2.10", "9145661757", "172.16.2.10"),
        ("anonymous@anonymous.invalid", "anonymous", "anonymous.invalid"),
        ("+441632960123@sip.example.net:5060", "+441632960123", "sip.example.net:5060"),
        ("a@b@c", "a", "b@c"),
        ("@host", "", "host"),
        ("123@", "123", ""),
        ("01707392200", "01707392200", nil),
        ("", "", nil),
    ] as [(String, String, String?)])
    func splitsSIPCallers(caller: String, number: String, host: String?) throws {
        let record = try parse(line([4: caller]))
        #expect(record.caller == caller)
        #expect(record.callerNumber == number)
        #expect(record.callerHost == host)
    }

    // MARK: - Decimals

    @Test(arguments: [
        ("   0.0618", 618, 4), ("0001.45", 145, 2), ("1.00", 100, 2), ("12", 12, 0), ("-2.50", -250, 2),
        ("+3", 3, 0), ("0", 0, 0), ("0.0", 0, 1), (".5", 5, 1), ("5.", 5, 0), (" 7 ", 7, 0),
        ("000000000000000000000001.5", 15, 1), ("123456789012345678", 123_456_789_012_345_678, 0),
        ("0.000000000000000001", 1, 18),
    ] as [(String, Int64, Int)])
    func readsExactDecimals(text: String, units: Int64, scale: Int) throws {
        let record = try parse(line([21: text, 23: text, 27: text], width: 27))
        let expected = ExactDecimal(units: units, scale: scale)
        #expect(record.callCharge == expected)
        #expect(record.amountAtLastUserChange == expected)
        #expect(record.markUp == expected)
    }

    @Test func printsDecimalsCanonically() {
        #expect(ExactDecimal(units: 618, scale: 4).description == "0.0618")
        #expect(ExactDecimal(units: 145, scale: 2).description == "1.45")
        #expect(ExactDecimal(units: -250, scale: 2).description == "-2.50")
        #expect(ExactDecimal(units: 12, scale: 0).description == "12")
    }

    // MARK: - External Targeting Cause

    @Test(arguments: [
        ("U XfP", "U", "XfP"), ("U Xfd", "U", "Xfd"), ("U MT", "U", "MT"), ("U CfP", "U", "CfP"),
        ("HG fnr", "HG", "fnr"), ("U", "U", nil), ("HG", "HG", nil), ("UFU", "U", "FU"), ("Ufu", "U", "fu"),
        ("HGfb", "HG", "fb"), ("LINEfnr", "LINE", "fnr"), ("ICRfdnd", "ICR", "fdnd"), ("AAMT", "AA", "MT"),
        ("RASTW", "RAS", "TW"), ("?Cfd", "?", "Cfd"), ("uxfp", "u", "xfp"), ("Ufoo", "Ufoo", nil),
        (" U MT ", "U", "MT"), ("U  XfP", "U", "XfP"), ("U ", "U", nil), ("LINE", "LINE", nil),
    ] as [(String, String, String?)])
    func splitsTargetingCauses(text: String, targeter: String, reason: String?) throws {
        let record = try parse(line([28: text], width: 30))
        #expect(record.targetingCause == TargetingCause(targeter: targeter, reason: reason))
        #expect(TargetingCause(parsing: text) == TargetingCause(targeter: targeter, reason: reason))
    }

    @Test func readsAnEmptyTargetingCauseAsNil() throws {
        #expect(try parse(line([28: ""], width: 30)).targetingCause == nil)
        #expect(try parse(line([28: "   "], width: 30)).targetingCause == nil)
        #expect(TargetingCause(parsing: "") == nil)
    }

    // MARK: - Devices

    @Test(arguments: [
        ("E2101", Device.Kind.extension, 2101), ("E15", .extension, 15), ("T9005", .trunk, 9005),
        ("T9161", .trunk, 9161), ("V9502", .voicemail, 9502), ("V9051", .voicemail, 9051),
        ("V9513", .voicemail, 9513), ("V11001", .conference, 11001), ("V110012", .conference, 110_012),
        ("V8000", .other, 8000), ("V8123", .other, 8123), ("", .none, nil), ("Barred", .unrecognised, nil),
        ("Wakeup Call", .unrecognised, nil), ("E", .unrecognised, nil), ("E12a", .unrecognised, nil),
        ("V42", .unrecognised, nil), ("V1100", .unrecognised, nil), ("V7000", .unrecognised, nil),
        ("e2101", .unrecognised, nil), ("X1", .unrecognised, nil), (" E2101", .unrecognised, nil),
        ("E0000000000000000000001", .extension, nil),
    ] as [(String, Device.Kind, Int?)])
    func classifiesDevicesFromTheCodeAlone(code: String, kind: Device.Kind, number: Int?) throws {
        // Names that say nothing about the kind: only a `CO Channel`/`VM Channel` name can change
        // the kind of an out-of-range `V` code (next test).
        let expected = Device(code: code, kind: kind, number: number)
        let record = try parse(line([12: code, 14: code, 13: "U1 0.0", 15: "Extn2101"]))
        #expect(record.party1Device == expected)
        #expect(record.party2Device == expected)
        #expect(Device(code: code) == expected)
        #expect(Device(code: code, name: "Extn2101") == expected)
    }

    /// Conference channels seen in real captures outside the documented `V1xxxx` range
    /// (smdr-format.md §8), and names that must not override a code that classifies.
    @Test(arguments: [
        ("V-1610602733", "CO Channel 268435456.3", Device.Kind.conference, nil),
        ("V83896082", "CO Channel 8389608.2", .conference, 83_896_082),
        ("V23", "CO Channel 2.3", .conference, 23),
        ("V42", "VM Channel 42", .voicemail, 42),
        ("V8123", "VM Channel 3", .voicemail, 8123),
        ("V8000", "U1 0.0", .other, 8000),
        ("V42", "Extn42", .unrecognised, nil),
        ("V-5", "Line 5.1", .unrecognised, nil),
        ("V11001", "VM Channel 1", .conference, 11001),
        ("V9502", "CO Channel 100.1", .voicemail, 9502),
        ("E23", "CO Channel 2.3", .extension, 23),
        ("T9001", "VM Channel 1", .trunk, 9001),
        ("Barred", "CO Channel 1.1", .unrecognised, nil),
        ("V23", "co channel 2.3", .unrecognised, nil),
    ] as [(String, String, Device.Kind, Int?)])
    func classifiesOutOfRangeVirtualDevicesByName(code: String, name: String, kind: Device.Kind, number: Int?) throws {
        let expected = Device(code: code, kind: kind, number: number)
        let record = try parse(line([12: code, 13: name, 14: code, 15: name]))
        #expect(record.party1Device == expected)
        #expect(record.party2Device == expected)
        #expect(Device(code: code, name: name) == expected)
    }

    @Test(arguments: [
        ("CO Channel 100.1", 100, 1), ("CO Channel 268435456.3", 268_435_456, 3), ("CO Channel 2.3", 2, 3),
    ])
    func readsTheConferenceNumberFromTheChannelName(name: String, conference: Int, channel: Int) {
        let parsed = Device.conferenceChannel(name: name)
        #expect(parsed?.conference == conference)
        #expect(parsed?.channel == channel)
    }

    @Test(arguments: ["", "CO Channel ", "CO Channel 100", "CO Channel .1", "CO Channel 100.", "CO Channel 1a.1", "VM Channel 1"])
    func rejectsNamesThatAreNotConferenceChannels(name: String) {
        #expect(Device.conferenceChannel(name: name) == nil)
    }

    // MARK: - Delta Server header

    static let deltaServerHeader =
        "Call Start,Call Duration,Ring Duration,Caller,Direction,Called Number,Dialled Number,Account,Is Internal,"
        + "Call ID,Continuation,Party1Device,Party1Name,Party2Device,Party2Name,Hold Time,Park Time,AuthValid,"
        + "AuthCode,User Charged,Call Charge,Currency,Amount at Last User Change,Call Units,"
        + "Units at Last User Change,Cost per Unit,Mark Up"

    @Test func detectsTheDeltaServerHeaderLine() {
        let header = Array(Self.deltaServerHeader.utf8)
        #expect(header.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).count == 27)
        #expect(SMDRParser.isDeltaServerHeader(header))
        let viaSpan = SMDRParser.isDeltaServerHeader(header.span)
        #expect(viaSpan)
        #expect(SMDRParser.isDeltaServerHeader([0xEF, 0xBB, 0xBF] + header + [0x0D, 0x0A]))
        #expect(SMDRParser.isDeltaServerHeader(Array("\"Call Start\",\"Call Duration\"".utf8)))
        #expect(SMDRParser.isDeltaServerHeader(Array("CALL START TIME,Connected Time".utf8)))
        #expect(SMDRParser.isDeltaServerHeader(Array("call start".utf8)))
        #expect(!SMDRParser.isDeltaServerHeader(line()))
        #expect(!SMDRParser.isDeltaServerHeader(line(width: 27)))
        #expect(!SMDRParser.isDeltaServerHeader([UInt8]()))
        #expect(!SMDRParser.isDeltaServerHeader(Array("Call Started,x".utf8)))
        #expect(!SMDRParser.isDeltaServerHeader(Array("Call".utf8)))
        #expect(throws: SMDRParseError(code: .invalidDate, field: .callStart, offset: 0)) { try parse(header) }
    }
}
