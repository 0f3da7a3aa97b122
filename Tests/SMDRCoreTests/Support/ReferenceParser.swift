import SMDRCore

/// A deliberately naive SMDR parser used as an oracle for ``SMDRParser``: it splits the line into
/// an array of byte arrays, makes Strings freely and follows the documented rules
/// (the `## Parsing behavior` section of ``SMDRParser``) in the most obvious way. It is slow and
/// allocates a lot; it exists only so the fast parser can be checked against it.
struct ReferenceParser {
    typealias Outcome = Result<CallRecord, SMDRParseError>

    func parse(_ line: [UInt8]) -> Outcome {
        Result { () throws(SMDRParseError) -> CallRecord in try self.parseOrThrow(line) }
    }

    private struct Field {
        var bytes: [UInt8]
        var offset: Int
        var text: String { String(decoding: self.bytes, as: UTF8.self) }
        var isValidUTF8: Bool { String(validating: self.bytes, as: UTF8.self) != nil }
        /// Without spaces at either end, and the offset of the first kept byte.
        var trimmed: (bytes: [UInt8], offset: Int) {
            var start = 0
            var end = self.bytes.count
            while start < end, self.bytes[start] == 0x20 { start += 1 }
            while end > start, self.bytes[end - 1] == 0x20 { end -= 1 }
            return (Array(self.bytes[start..<end]), self.offset + start)
        }
    }

    private func parseOrThrow(_ line: [UInt8]) throws(SMDRParseError) -> CallRecord {
        var content = line
        while let last = content.last, last == 0x0D || last == 0x0A || last == 0x00 { content.removeLast() }
        var leading = 0
        while leading < content.count, content[leading] == 0x00 { leading += 1 }
        content.removeFirst(leading)
        if content.starts(with: [0xEF, 0xBB, 0xBF]) {
            content.removeFirst(3)
            leading += 3
        }
        if content.isEmpty { throw SMDRParseError(code: .emptyLine, field: nil, offset: 0) }

        let parts = content.split(separator: 0x2C, omittingEmptySubsequences: false)
        if parts.count < 17 {
            throw SMDRParseError(code: .tooFewFields, field: nil, offset: leading + content.count)
        }
        var fields: [Field] = []
        var offset = leading
        for part in parts {
            fields.append(Field(bytes: Array(part), offset: offset))
            offset += part.count + 1
        }
        let endOffset = leading + content.count
        func field(_ name: CallRecord.Field) -> Field {
            name.number <= fields.count ? fields[name.number - 1] : Field(bytes: [], offset: endOffset)
        }

        var flags: CallRecord.Flags = []
        func text(_ name: CallRecord.Field) -> String {
            let value = field(name)
            if !value.isValidUTF8 { flags.insert(.invalidUTF8) }
            return value.text
        }

        let (callStart, startHasSeconds) = try Self.dateTime(field(.callStart), .callStart)
        if !startHasSeconds { flags.insert(.callStartWithoutSeconds) }
        let connected = try Self.duration(field(.connectedTime))
        let ring = try Self.requiredInteger(field(.ringTime), .ringTime)
        let caller = text(.caller)
        var callerNumber = caller
        var callerHost: String?
        let callerBytes = field(.caller).bytes
        if let at = callerBytes.firstIndex(of: 0x40) {
            callerNumber = String(decoding: callerBytes[..<at], as: UTF8.self)
            callerHost = String(decoding: callerBytes[(at + 1)...], as: UTF8.self)
        }
        let direction: Direction
        switch field(.direction).text {
        case "I": direction = .inbound
        case "O": direction = .outbound
        default: throw SMDRParseError(code: .invalidDirection, field: .direction, offset: field(.direction).offset)
        }
        let called = text(.calledNumber)
        let dialled = text(.dialledNumber)
        let account = text(.account)
        let isInternal: Bool? = ["0": false, "1": true][field(.isInternal).text]
        if isInternal == nil { flags.insert(.nonBinaryIsInternal) }
        let callID = try Self.requiredInteger(field(.callID), .callID)
        guard let continued = ["0": false, "1": true][field(.continuation).text] else {
            throw SMDRParseError(code: .invalidFlag, field: .continuation, offset: field(.continuation).offset)
        }
        let party1Name = text(.party1Name)
        let party1 = Self.device(text(.party1Device), name: party1Name)
        let party2Name = text(.party2Name)
        let party2 = Self.device(text(.party2Device), name: party2Name)
        let hold = try Self.requiredInteger(field(.holdTime), .holdTime)
        let park = try Self.requiredInteger(field(.parkTime), .parkTime)
        let authValid: Bool?
        switch field(.authValid).text {
        case "": authValid = nil
        case "0": authValid = false
        case "1": authValid = true
        default: throw SMDRParseError(code: .invalidFlag, field: .authValid, offset: field(.authValid).offset)
        }
        let authCode = text(.authCode)
        let userCharged = text(.userCharged)
        let callCharge = try Self.decimal(field(.callCharge), .callCharge)
        let currency = text(.currency)
        let amount = try Self.decimal(field(.amountAtLastUserChange), .amountAtLastUserChange)
        let callUnits = try Self.optionalInteger(field(.callUnits), .callUnits)
        let unitsAtChange = try Self.optionalInteger(field(.unitsAtLastUserChange), .unitsAtLastUserChange)
        let costPerUnit = try Self.optionalInteger(field(.costPerUnit), .costPerUnit)
        let markUp = try Self.decimal(field(.markUp), .markUp)
        _ = text(.externalTargetingCause)  // for the UTF-8 flag
        let targeting = Self.targetingCause(field(.externalTargetingCause).bytes)
        let targeterID = text(.externalTargeterID)
        let targetedNumber = text(.externalTargetedNumber)
        let callingIP = text(.callingPartyServerIP)
        let callerUniqueID = try Self.optionalInteger(field(.callerUniqueCallID), .callerUniqueCallID)
        let calledIP = text(.calledPartyServerIP)
        let calledUniqueID = try Self.optionalInteger(field(.calledUniqueCallID), .calledUniqueCallID)
        var recordTime: LocalDateTime?
        if !field(.recordTime).bytes.isEmpty {
            let (value, hasSeconds) = try Self.dateTime(field(.recordTime), .recordTime)
            recordTime = value
            if !hasSeconds { flags.insert(.recordTimeWithoutSeconds) }
        }
        let consent = try Self.optionalInteger(field(.consentDirective), .consentDirective)
        let verification = text(.callingNumberVerification)
        let extras = fields.dropFirst(37).map { extra in
            if !extra.isValidUTF8 { flags.insert(.invalidUTF8) }
            return extra.text
        }

        return CallRecord(
            callStart: callStart, connectedSeconds: connected, ringSeconds: ring, caller: caller,
            callerNumber: callerNumber, callerHost: callerHost, direction: direction, calledNumber: called,
            dialledNumber: dialled, accountCode: account, isInternal: isInternal, callID: callID,
            isContinued: continued, party1Device: party1, party1Name: party1Name, party2Device: party2,
            party2Name: party2Name, holdSeconds: hold, parkSeconds: park, authValid: authValid, authCode: authCode,
            userCharged: userCharged, callCharge: callCharge, currency: currency, amountAtLastUserChange: amount,
            callUnits: callUnits, unitsAtLastUserChange: unitsAtChange, costPerUnit: costPerUnit, markUp: markUp,
            targetingCause: targeting, targeterID: targeterID, targetedNumber: targetedNumber,
            callingPartyServerIP: callingIP, callerUniqueCallID: callerUniqueID, calledPartyServerIP: calledIP,
            calledUniqueCallID: calledUniqueID, recordTime: recordTime, consentDirective: consent,
            callingNumberVerification: verification, extraFields: Array(extras), fieldCount: fields.count,
            flags: flags)
    }

    // MARK: - Field rules, written out plainly

    private static func isDigits(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Digits → Int, allowing leading zeros but at most 18 significant digits.
    private static func number(_ bytes: [UInt8]) -> Int? {
        guard isDigits(bytes) else { return nil }
        let significant = bytes.drop { $0 == 0x30 }
        guard significant.count <= 18 else { return nil }
        return significant.isEmpty ? 0 : Int(String(decoding: significant, as: UTF8.self))
    }

    private static func requiredInteger(_ field: Field, _ name: CallRecord.Field) throws(SMDRParseError) -> Int {
        guard let value = number(field.trimmed.bytes) else {
            throw SMDRParseError(code: .invalidInteger, field: name, offset: field.offset)
        }
        return value
    }

    private static func optionalInteger(_ field: Field, _ name: CallRecord.Field) throws(SMDRParseError) -> Int? {
        if field.trimmed.bytes.isEmpty { return nil }
        return try requiredInteger(field, name)
    }

    private static func decimal(_ field: Field, _ name: CallRecord.Field) throws(SMDRParseError) -> ExactDecimal? {
        var text = String(decoding: field.trimmed.bytes, as: UTF8.self)
        if text.isEmpty { return nil }
        let failure = SMDRParseError(code: .invalidDecimal, field: name, offset: field.offset)
        guard field.trimmed.bytes.allSatisfy({ $0 < 0x80 }) else { throw failure }
        var sign: Int64 = 1
        if text.hasPrefix("-") || text.hasPrefix("+") {
            if text.hasPrefix("-") { sign = -1 }
            text.removeFirst()
        }
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw failure }
        let whole = pieces[0]
        let fraction = pieces.count == 2 ? pieces[1] : ""
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            whole.count + fraction.count > 0
        else { throw failure }
        let significantWhole = whole.drop { $0 == "0" }
        guard significantWhole.count + fraction.count <= 18 else { throw failure }
        let digits = String(significantWhole) + fraction
        let units = digits.isEmpty ? 0 : Int64(digits)!
        return ExactDecimal(units: sign * units, scale: fraction.count)
    }

    /// `YYYY/MM/DD HH:MM[:SS]`: walk a template; report the first mismatching component or separator.
    private static func dateTime(
        _ field: Field, _ name: CallRecord.Field
    ) throws(SMDRParseError) -> (LocalDateTime, Bool) {
        let bytes = field.bytes
        // (start of component within the field, its length, separator that follows or nil)
        let components: [(Int, Int, UInt8?)] = [
            (0, 4, 0x2F), (5, 2, 0x2F), (8, 2, 0x20), (11, 2, 0x3A), (14, 2, nil),
        ]
        var values: [Int] = []
        func fail(_ code: SMDRParseError.Code, _ at: Int) -> SMDRParseError {
            SMDRParseError(code: code, field: name, offset: field.offset + at)
        }
        for (index, (start, length, separator)) in components.enumerated() {
            guard bytes.count >= start + length, isDigits(bytes[start..<(start + length)]) else {
                throw fail(.invalidDate, start)
            }
            let value = Int(String(decoding: bytes[start..<(start + length)], as: UTF8.self))!
            values.append(value)
            switch index {
            case 0 where value == 0: throw fail(.invalidDate, start)
            case 1 where !(1...12).contains(value): throw fail(.invalidDate, start)
            case 2:
                let year = values[0]
                let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
                let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                if value < 1 || value > monthDays[values[1] - 1] { throw fail(.invalidDate, start) }
            case 3 where value > 23: throw fail(.invalidTime, start)
            case 4 where value > 59: throw fail(.invalidTime, start)
            default: break
            }
            if let separator {
                guard bytes.count > start + length, bytes[start + length] == separator else {
                    throw fail(.invalidDate, start + length)
                }
            }
        }
        var second = 0
        var hasSeconds = false
        if bytes.count != 16 {
            guard bytes.count > 16, bytes[16] == 0x3A else { throw fail(.invalidDate, 16) }
            guard bytes.count >= 19, isDigits(bytes[17..<19]) else { throw fail(.invalidDate, 17) }
            second = Int(String(decoding: bytes[17..<19], as: UTF8.self))!
            guard second <= 59 else { throw fail(.invalidTime, 17) }
            guard bytes.count == 19 else { throw fail(.invalidDate, 19) }
            hasSeconds = true
        }
        let value = LocalDateTime(
            year: values[0], month: values[1], day: values[2], hour: values[3], minute: values[4], second: second)
        return (value, hasSeconds)
    }

    /// `H+:MM:SS`, spaces around allowed; the hours are the leading run of digits (1 to 9 of them).
    private static func duration(_ field: Field) throws(SMDRParseError) -> Int {
        let (bytes, start) = field.trimmed
        func fail(_ at: Int) -> SMDRParseError {
            SMDRParseError(code: .invalidDuration, field: .connectedTime, offset: at)
        }
        if bytes.isEmpty { throw fail(field.offset) }
        let hourDigits = bytes.prefix { (0x30...0x39).contains($0) }
        guard !hourDigits.isEmpty, hourDigits.count <= 9 else { throw fail(start) }
        let rest = Array(bytes.dropFirst(hourDigits.count))
        let base = start + hourDigits.count
        guard rest.first == 0x3A else { throw fail(base) }
        guard rest.count >= 3, isDigits(rest[1..<3]), let minutes = Int(String(decoding: rest[1..<3], as: UTF8.self)),
            minutes < 60
        else { throw fail(base + 1) }
        guard rest.count > 3, rest[3] == 0x3A else { throw fail(base + 3) }
        guard rest.count >= 6, isDigits(rest[4..<6]), let seconds = Int(String(decoding: rest[4..<6], as: UTF8.self)),
            seconds < 60
        else { throw fail(base + 4) }
        guard rest.count == 6 else { throw fail(base + 6) }
        return Int(String(decoding: hourDigits, as: UTF8.self))! * 3600 + minutes * 60 + seconds
    }

    /// By the code; a `V` code the code leaves unrecognised or `other` is classified by its name.
    private static func device(_ code: String, name: String) -> Device {
        let byCode = Self.device(code)
        guard code.hasPrefix("V"), byCode.kind == .unrecognised || byCode.kind == .other else { return byCode }
        let digits = code.dropFirst()
        let number = !digits.isEmpty && digits.count <= 18 && digits.allSatisfy(\.isASCIIDigit) ? Int(digits) : nil
        if name.hasPrefix("CO Channel ") { return Device(code: code, kind: .conference, number: number) }
        if name.hasPrefix("VM Channel ") { return Device(code: code, kind: .voicemail, number: number) }
        return byCode
    }

    private static func device(_ code: String) -> Device {
        guard let letter = code.first else { return Device(code: code, kind: .none, number: nil) }
        let digits = code.dropFirst()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
            return Device(code: code, kind: .unrecognised, number: nil)
        }
        let number = digits.count <= 18 ? Int(digits) : nil
        switch letter {
        case "E": return Device(code: code, kind: .extension, number: number)
        case "T": return Device(code: code, kind: .trunk, number: number)
        case "V" where digits.hasPrefix("9") && digits.count >= 4: return Device(code: code, kind: .voicemail, number: number)
        case "V" where digits.hasPrefix("1") && digits.count >= 5: return Device(code: code, kind: .conference, number: number)
        case "V" where digits.hasPrefix("8") && digits.count >= 4: return Device(code: code, kind: .other, number: number)
        default: return Device(code: code, kind: .unrecognised, number: nil)
        }
    }

    private static func targetingCause(_ raw: [UInt8]) -> TargetingCause? {
        var bytes = raw[...]
        while bytes.first == 0x20 { bytes.removeFirst() }
        while bytes.last == 0x20 { bytes.removeLast() }
        if bytes.isEmpty { return nil }
        func string(_ part: ArraySlice<UInt8>) -> String { String(decoding: part, as: UTF8.self) }
        if let space = bytes.firstIndex(of: 0x20) {
            let reason = bytes[space...].drop { $0 == 0x20 }
            return TargetingCause(targeter: string(bytes[..<space]), reason: reason.isEmpty ? nil : string(reason))
        }
        func folded(_ part: ArraySlice<UInt8>) -> [UInt8] {
            part.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        }
        let reasons = ["fb", "fu", "fnr", "fdnd", "cfp", "cfd", "mt", "tw", "xfp", "xfd"].map { Array($0.utf8) }
        for targeter in ["line", "icr", "ras", "hg", "aa", "u", "?"].map({ Array($0.utf8) }) {
            let split = bytes.startIndex + targeter.count
            guard bytes.count > targeter.count, folded(bytes[..<split]) == targeter else { continue }
            if reasons.contains(folded(bytes[split...])) {
                return TargetingCause(targeter: string(bytes[..<split]), reason: string(bytes[split...]))
            }
        }
        return TargetingCause(targeter: string(bytes), reason: nil)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) && self.isASCII }
}
