/// Parses one IP Office SMDR line into a ``CallRecord``.
///
/// The parser is a pure value: the same bytes always give the same ``CallRecord`` or the same
/// ``SMDRParseError``. It reads the line as bytes, finds the field boundaries in one pass without
/// allocating, reads numbers, dates and durations straight from the bytes, and creates a `String`
/// only for text fields, once each.
///
/// ## Supported widths
///
/// SMDR is comma-separated with no quoting. Fields are mapped by position; every width from 17
/// values up is accepted:
///
/// ```
///            1 ............ 17 18 ......... 27 28 ...... 30 31 ....... 34 35  36 37 38 ...
///           +-----------------+---------------+------------+-------------+---+-----+-------+
///           | call, parties,  | auth, AoC     | external   | server IPs, |rec|cons.| extra |
///           | ring/hold/park  | charges       | targeting  | unique IDs  |tim|STIR | text  |
///           +-----------------+---------------+------------+-------------+---+-----+-------+
/// width 17  |<--------------->|                  Avaya's short documentation examples
/// width 27  |<------------------------------->|  Delta Server CSV files (IP Office <= 4.1)
/// width 30  |<-------------------------------------------->|  IP Office 4.2+ (31: same plus
///           |                                               |  the trailing comma of some examples)
/// width 34  |<---------------------------------------------------------->|  R10 era
/// width 35  |<-------------------------------------------------------------->|  + SMDR Record Time
/// width 38  |<---------------------------------------------------------------------->|  R11/R12:
///           |    37 documented fields plus one undocumented trailing value (kept in extraFields)
/// ```
///
/// For example (Avaya, "Transferred Manually", 31 values):
///
/// ```
/// 2008/07/09 16:33:19,00:00:05,3,203,O,9416,9416,,0,1000044,1,E203,Extn203,T9005,Line 5.1,0,0,,,,,,,,,,,U XfP,Extn207,,
/// |<------ 1 ------>| |<- 2 ->|3 |4| 5 |6 | |7 |8 9 |<-10->|11 |12| |<13->| |14 | |<-15->|16 17 18-27 |<28->| |<29->|30 31
/// ```
///
/// ## Parsing behavior
///
/// - **Terminators:** CR, LF and NUL bytes at the end of the line are dropped, and NUL bytes at its
///   start are skipped (``LineFramer`` already removes them; this is a safety net), then a UTF-8
///   byte-order mark (`EF BB BF`, first line of a file saved by a Windows tool). Error offsets
///   always count from the first byte passed in.
/// - **Empty line:** nothing left after that is ``SMDRParseError/Code/emptyLine``.
/// - **No quoting:** every comma separates fields; `"` is an ordinary character.
/// - **Width:** fewer than 17 values is ``SMDRParseError/Code/tooFewFields`` (no field, offset =
///   end of the line), checked before any field. Fields the line does not have (18–37 of a 17-value
///   line) read as empty: empty text, `nil` optionals. Values after the 37th are kept as text in
///   ``CallRecord/extraFields``; ``CallRecord/fieldCount`` holds the width.
/// - **Text fields** (Caller, numbers, names, account and auth codes, currency, targeter, IPs, …)
///   are kept exactly as written, spaces included (`n/a` stays `n/a`). Invalid UTF-8 is repaired
///   with U+FFFD and sets ``CallRecord/Flags/invalidUTF8``; it is not an error.
/// - **Call Start (1) and SMDR Record Time (35):** `YYYY/MM/DD HH:MM:SS`, or `YYYY/MM/DD HH:MM` as
///   in some Avaya examples (seconds 0, flag ``CallRecord/Flags/callStartWithoutSeconds`` or
///   ``CallRecord/Flags/recordTimeWithoutSeconds``). Year 0001–9999, a real month and day (leap
///   years included), hour < 24, minute and second < 60. A wrong shape or date is
///   ``SMDRParseError/Code/invalidDate`` and an out-of-range hour, minute or second is
///   ``SMDRParseError/Code/invalidTime``, at the offset of the bad component or separator. No
///   spaces are allowed around them. Empty Record Time is `nil`.
/// - **Connected Time (2):** `H+:MM:SS` with 1 to 9 hour digits (hours may exceed 23), converted to
///   seconds; otherwise ``SMDRParseError/Code/invalidDuration`` at the bad component.
/// - **Whole numbers** (Ring, Hold, Park, Call ID, 24–26, 32, 34, 36): decimal digits, spaces
///   around them allowed (Avaya prints Park Time `0 `), leading zeros allowed, at most 18
///   significant digits; otherwise ``SMDRParseError/Code/invalidInteger`` at the field's start.
///   Ring, Hold, Park and Call ID are required; the others are `nil` when empty. Caller Consent
///   Directive is not checked against 0/2/6.
/// - **Direction (5):** exactly `I` or `O`; otherwise ``SMDRParseError/Code/invalidDirection``.
/// - **Is Internal (9):** `0`/`1`. Anything else (Avaya's voicemail example prints `I`) gives
///   `isInternal == nil` and ``CallRecord/Flags/nonBinaryIsInternal``; it is not an error.
/// - **Continuation (11):** exactly `0` or `1`; **AuthValid (18):** `0`, `1` or empty (`nil`).
///   Anything else is ``SMDRParseError/Code/invalidFlag``.
/// - **Devices (12, 14):** classified from the code, and for a `V` code outside the documented
///   ranges from the name (`CO Channel …`, `VM Channel …`): see ``Device`` and
///   ``Device/init(code:name:)``. Unknown codes are ``Device/Kind/unrecognised``, not errors.
/// - **Caller (4):** `number@host` (SIP) fills ``CallRecord/callerNumber`` and
///   ``CallRecord/callerHost``, split at the first `@`; otherwise the number is the whole caller.
/// - **AoC amounts (21, 23, 27):** spaces around them, an optional sign, digits and an optional
///   fraction (`   0.0618`, `0001.45`, `1.00`, `12`), at most 18 significant digits, kept exact
///   as ``ExactDecimal`` with the written scale; empty is `nil`; otherwise
///   ``SMDRParseError/Code/invalidDecimal`` at the field's start.
/// - **External Targeting Cause (28):** `U XfP`, bare `U`, and `UFU` without a space; see
///   ``TargetingCause/init(parsing:)``. Spaces around it are ignored; empty is `nil`. Never an error.
/// - **Errors:** the first failing field, in field order, is reported.
public struct SMDRParser: Sendable {
    /// The fewest comma-separated values a line may have (fields 1–17, Call Start to Park Time).
    public static let minimumFieldCount = 17

    public init() {}

    /// Parses one SMDR line, given without its line terminator.
    ///
    /// - Parameter line: The bytes of one line. A trailing CR/LF is tolerated.
    /// - Returns: The record, with ``CallRecord/flags`` telling which leniencies applied.
    /// - Throws: ``SMDRParseError`` naming the field and the byte offset where the problem starts.
    public func parse(_ line: Span<UInt8>) throws(SMDRParseError) -> CallRecord {
        try line.withUnsafeBufferPointer { (bytes) throws(SMDRParseError) -> CallRecord in
            // Filled in place: building it with the memberwise initializer would copy every String.
            var record = CallRecord(unfilled: ())
            try Self.parseRecord(bytes, into: &record)
            return record
        }
    }

    /// Parses one SMDR line, given without its line terminator.
    ///
    /// Forwards to the `Span` version; a collection without contiguous storage is copied first.
    public func parse(_ line: some Collection<UInt8>) throws(SMDRParseError) -> CallRecord {
        let result = line.withContiguousStorageIfAvailable { bytes in
            Result { () throws(SMDRParseError) -> CallRecord in
                var record = CallRecord(unfilled: ())
                try Self.parseRecord(bytes, into: &record)
                return record
            }
        }
        if let result {
            return try result.get()
        }
        let copy = Array(line)
        return try self.parse(copy.span)
    }

    /// Parses a line cut by ``LineFramer``.
    ///
    /// - Throws: ``SMDRParseError/Code/lineTooLong`` (no field, offset = the kept length) when the
    ///   framer truncated the line, since its last fields are lost; otherwise as ``parse(_:)-(Span<UInt8>)``.
    public func parse(_ line: FramedLine) throws(SMDRParseError) -> CallRecord {
        guard !line.isTruncated else {
            throw SMDRParseError(code: .lineTooLong, field: nil, offset: line.bytes.count)
        }
        return try self.parse(line.bytes.span)
    }

    // MARK: - Implementation

    static func parseRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, into record: inout CallRecord
    ) throws(SMDRParseError) {
        var begin = 0
        var end = bytes.count
        while end > begin {
            let last = bytes[end - 1]
            guard last == ASCII.carriageReturn || last == ASCII.lineFeed || last == ASCII.nul else { break }
            end -= 1
        }
        while begin < end, bytes[begin] == ASCII.nul { begin += 1 }
        if end - begin >= 3, bytes[begin] == 0xEF, bytes[begin + 1] == 0xBB, bytes[begin + 2] == 0xBF {
            begin += 3  // a UTF-8 byte-order mark, as at the start of a file saved by a Windows tool
        }
        guard begin < end else {
            throw SMDRParseError(code: .emptyLine, field: nil, offset: 0)
        }

        try FieldTable.withFields(of: bytes, begin: begin, end: end) { (table) throws(SMDRParseError) -> Void in
            guard table.count >= Self.minimumFieldCount else {
                throw SMDRParseError(code: .tooFewFields, field: nil, offset: end)
            }
            try Self.readRecord(bytes, table, into: &record)
        }
    }

    /// Reads fields 1–37 and the extra fields, in order; the first failing field throws.
    private static func readRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: FieldTable, into record: inout CallRecord
    ) throws(SMDRParseError) {
        let reader = FieldReader(bytes: bytes, table: table)
        // Fields are assigned straight into `record`, so each String is moved in, never copied.
        var flags: CallRecord.Flags = []
        let (callStart, hasSeconds) = try reader.dateTime(.callStart)
        record.callStart = callStart
        if !hasSeconds { flags.insert(.callStartWithoutSeconds) }
        record.connectedSeconds = try reader.duration(.connectedTime)
        record.ringSeconds = try reader.integer(.ringTime)
        let caller = reader.caller(.caller, &flags)
        record.caller = caller.caller
        record.callerNumber = caller.number
        record.callerHost = caller.host
        record.direction = try reader.direction(.direction)
        record.calledNumber = reader.text(.calledNumber, &flags)
        record.dialledNumber = reader.text(.dialledNumber, &flags)
        record.accountCode = reader.text(.account, &flags)
        record.isInternal = reader.binary(.isInternal)
        if record.isInternal == nil { flags.insert(.nonBinaryIsInternal) }
        record.callID = try reader.integer(.callID)
        record.isContinued = try reader.flag(.continuation)
        record.party1Device = reader.device(.party1Device, name: .party1Name, &flags)
        record.party1Name = reader.text(.party1Name, &flags)
        record.party2Device = reader.device(.party2Device, name: .party2Name, &flags)
        record.party2Name = reader.text(.party2Name, &flags)
        record.holdSeconds = try reader.integer(.holdTime)
        record.parkSeconds = try reader.integer(.parkTime)
        record.authValid = try reader.optionalFlag(.authValid)
        record.authCode = reader.text(.authCode, &flags)
        record.userCharged = reader.text(.userCharged, &flags)
        record.callCharge = try reader.decimal(.callCharge)
        record.currency = reader.text(.currency, &flags)
        record.amountAtLastUserChange = try reader.decimal(.amountAtLastUserChange)
        record.callUnits = try reader.optionalInteger(.callUnits)
        record.unitsAtLastUserChange = try reader.optionalInteger(.unitsAtLastUserChange)
        record.costPerUnit = try reader.optionalInteger(.costPerUnit)
        record.markUp = try reader.decimal(.markUp)
        record.targetingCause = reader.targetingCause(.externalTargetingCause, &flags)
        record.targeterID = reader.text(.externalTargeterID, &flags)
        record.targetedNumber = reader.text(.externalTargetedNumber, &flags)
        record.callingPartyServerIP = reader.text(.callingPartyServerIP, &flags)
        record.callerUniqueCallID = try reader.optionalInteger(.callerUniqueCallID)
        record.calledPartyServerIP = reader.text(.calledPartyServerIP, &flags)
        record.calledUniqueCallID = try reader.optionalInteger(.calledUniqueCallID)
        if table.range(.recordTime).start < table.range(.recordTime).end {
            let (recordTime, hasSeconds) = try reader.dateTime(.recordTime)
            record.recordTime = recordTime
            if !hasSeconds { flags.insert(.recordTimeWithoutSeconds) }
        } else {
            record.recordTime = nil
        }
        record.consentDirective = try reader.optionalInteger(.consentDirective)
        record.callingNumberVerification = reader.text(.callingNumberVerification, &flags)
        record.extraFields = reader.extraFields(&flags)
        record.fieldCount = table.count
        record.flags = flags
    }
}

extension CallRecord {
    /// A placeholder the parser overwrites field by field; holds no heap storage.
    ///
    /// Assigns the stored properties directly: going through the public memberwise initializer
    /// (or a static property) costs a copy of the whole record on every line.
    fileprivate init(unfilled: Void) {
        self.callStart = LocalDateTime(year: 1, month: 1, day: 1, hour: 0, minute: 0)
        self.connectedSeconds = 0
        self.ringSeconds = 0
        self.caller = ""
        self.callerNumber = ""
        self.callerHost = nil
        self.direction = .outbound
        self.calledNumber = ""
        self.dialledNumber = ""
        self.accountCode = ""
        self.isInternal = nil
        self.callID = 0
        self.isContinued = false
        self.party1Device = Device(code: "", kind: .none, number: nil)
        self.party1Name = ""
        self.party2Device = Device(code: "", kind: .none, number: nil)
        self.party2Name = ""
        self.holdSeconds = 0
        self.parkSeconds = 0
        self.authValid = nil
        self.authCode = ""
        self.userCharged = ""
        self.callCharge = nil
        self.currency = ""
        self.amountAtLastUserChange = nil
        self.callUnits = nil
        self.unitsAtLastUserChange = nil
        self.costPerUnit = nil
        self.markUp = nil
        self.targetingCause = nil
        self.targeterID = ""
        self.targetedNumber = ""
        self.callingPartyServerIP = ""
        self.callerUniqueCallID = nil
        self.calledPartyServerIP = ""
        self.calledUniqueCallID = nil
        self.recordTime = nil
        self.consentDirective = nil
        self.callingNumberVerification = ""
        self.extraFields = []
        self.fieldCount = 0
        self.flags = []
    }
}
