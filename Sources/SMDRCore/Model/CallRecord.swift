/// One IP Office SMDR record (one leg of a call), fields 1–37 typed, further fields kept as text.
///
/// Text fields hold the bytes as written (UTF-8; invalid UTF-8 is repaired with U+FFFD and
/// flagged in ``flags``; the exact bytes stay with the raw line). Optional numeric fields are
/// `nil` when the field is empty or absent (a 17-field line has no fields 18–37).
public struct CallRecord: Hashable, Sendable {
    /// 1. Call Start, PBX local time.
    public var callStart: LocalDateTime
    /// 2. Connected Time in seconds (`HH:MM:SS`, hours may exceed 23).
    public var connectedSeconds: Int
    /// 3. Ring Time in seconds.
    public var ringSeconds: Int
    /// 4. Caller, as written (extension, CLI, `number@host`, empty).
    public var caller: String
    /// The number part of ``caller``: all of it, or the part before `@` for SIP callers.
    public var callerNumber: String
    /// The host part of a SIP caller (`192.0.2.123` in `12345@192.0.2.123`); `nil` when there is no `@`.
    public var callerHost: String?
    /// 5. Direction.
    public var direction: Direction
    /// 6. Called Number.
    public var calledNumber: String
    /// 7. Dialled Number.
    public var dialledNumber: String
    /// 8. Account code (the last one entered on the call), empty when none.
    public var accountCode: String
    /// 9. Is Internal; `nil` when the field holds something other than `0`/`1` (an Avaya example prints `I`).
    public var isInternal: Bool?
    /// 10. Call ID.
    public var callID: Int
    /// 11. Continuation: `true` when more records for this Call ID follow.
    public var isContinued: Bool
    /// 12, 13. Party 1 device and name.
    public var party1Device: Device
    public var party1Name: String
    /// 14, 15. Party 2 device and name.
    public var party2Device: Device
    public var party2Name: String
    /// 16. Hold Time in seconds.
    public var holdSeconds: Int
    /// 17. Park Time in seconds.
    public var parkSeconds: Int
    /// 18. AuthValid: `1`, `0` or empty (`nil`).
    public var authValid: Bool?
    /// 19. AuthCode (`n/a` is kept as written).
    public var authCode: String
    /// 20. User Charged.
    public var userCharged: String
    /// 21. Call Charge.
    public var callCharge: ExactDecimal?
    /// 22. Currency.
    public var currency: String
    /// 23. Amount at Last User Change.
    public var amountAtLastUserChange: ExactDecimal?
    /// 24. Call Units.
    public var callUnits: Int?
    /// 25. Units at Last User Change.
    public var unitsAtLastUserChange: Int?
    /// 26. Cost per Unit, in 1/10,000 of a currency unit.
    public var costPerUnit: Int?
    /// 27. Mark Up (documented in 1/100; real systems print `1.00`), as written in exact decimal.
    public var markUp: ExactDecimal?
    /// 28. External Targeting Cause.
    public var targetingCause: TargetingCause?
    /// 29. External Targeter Id.
    public var targeterID: String
    /// 30. External Targeted Number.
    public var targetedNumber: String
    /// 31. Calling Party Server IP Address.
    public var callingPartyServerIP: String
    /// 32. Unique Call ID for the Caller Extension.
    public var callerUniqueCallID: Int?
    /// 33. Called Party Server IP Address.
    public var calledPartyServerIP: String
    /// 34. Unique Call ID for the Called Extension.
    public var calledUniqueCallID: Int?
    /// 35. SMDR Record Time (zone not documented).
    public var recordTime: LocalDateTime?
    /// 36. Caller Consent Directive (`0`, `2`, `6`).
    public var consentDirective: Int?
    /// 37. Calling Number Verification, as written.
    public var callingNumberVerification: String
    /// Fields after 37, as written.
    public var extraFields: [String]
    /// How many comma-separated values the line had.
    public var fieldCount: Int
    /// Leniencies applied while parsing.
    public var flags: Flags

    public init(
        callStart: LocalDateTime,
        connectedSeconds: Int = 0,
        ringSeconds: Int = 0,
        caller: String = "",
        callerNumber: String = "",
        callerHost: String? = nil,
        direction: Direction = .outbound,
        calledNumber: String = "",
        dialledNumber: String = "",
        accountCode: String = "",
        isInternal: Bool? = nil,
        callID: Int = 0,
        isContinued: Bool = false,
        party1Device: Device = Device(code: "", kind: .none, number: nil),
        party1Name: String = "",
        party2Device: Device = Device(code: "", kind: .none, number: nil),
        party2Name: String = "",
        holdSeconds: Int = 0,
        parkSeconds: Int = 0,
        authValid: Bool? = nil,
        authCode: String = "",
        userCharged: String = "",
        callCharge: ExactDecimal? = nil,
        currency: String = "",
        amountAtLastUserChange: ExactDecimal? = nil,
        callUnits: Int? = nil,
        unitsAtLastUserChange: Int? = nil,
        costPerUnit: Int? = nil,
        markUp: ExactDecimal? = nil,
        targetingCause: TargetingCause? = nil,
        targeterID: String = "",
        targetedNumber: String = "",
        callingPartyServerIP: String = "",
        callerUniqueCallID: Int? = nil,
        calledPartyServerIP: String = "",
        calledUniqueCallID: Int? = nil,
        recordTime: LocalDateTime? = nil,
        consentDirective: Int? = nil,
        callingNumberVerification: String = "",
        extraFields: [String] = [],
        fieldCount: Int = 17,
        flags: Flags = []
    ) {
        self.callStart = callStart
        self.connectedSeconds = connectedSeconds
        self.ringSeconds = ringSeconds
        self.caller = caller
        self.callerNumber = callerNumber
        self.callerHost = callerHost
        self.direction = direction
        self.calledNumber = calledNumber
        self.dialledNumber = dialledNumber
        self.accountCode = accountCode
        self.isInternal = isInternal
        self.callID = callID
        self.isContinued = isContinued
        self.party1Device = party1Device
        self.party1Name = party1Name
        self.party2Device = party2Device
        self.party2Name = party2Name
        self.holdSeconds = holdSeconds
        self.parkSeconds = parkSeconds
        self.authValid = authValid
        self.authCode = authCode
        self.userCharged = userCharged
        self.callCharge = callCharge
        self.currency = currency
        self.amountAtLastUserChange = amountAtLastUserChange
        self.callUnits = callUnits
        self.unitsAtLastUserChange = unitsAtLastUserChange
        self.costPerUnit = costPerUnit
        self.markUp = markUp
        self.targetingCause = targetingCause
        self.targeterID = targeterID
        self.targetedNumber = targetedNumber
        self.callingPartyServerIP = callingPartyServerIP
        self.callerUniqueCallID = callerUniqueCallID
        self.calledPartyServerIP = calledPartyServerIP
        self.calledUniqueCallID = calledUniqueCallID
        self.recordTime = recordTime
        self.consentDirective = consentDirective
        self.callingNumberVerification = callingNumberVerification
        self.extraFields = extraFields
        self.fieldCount = fieldCount
        self.flags = flags
    }
}

extension CallRecord {
    /// Leniencies the parser applied; none of them is an error.
    public struct Flags: OptionSet, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// A text field was not valid UTF-8; it was repaired with U+FFFD, the raw line keeps the bytes.
        public static let invalidUTF8 = Flags(rawValue: 1 << 0)
        /// Call Start had no seconds (`YYYY/MM/DD HH:MM`); seconds are 0.
        public static let callStartWithoutSeconds = Flags(rawValue: 1 << 1)
        /// Is Internal held something other than `0` or `1`.
        public static let nonBinaryIsInternal = Flags(rawValue: 1 << 2)
        /// SMDR Record Time had no seconds (`YYYY/MM/DD HH:MM`); seconds are 0.
        public static let recordTimeWithoutSeconds = Flags(rawValue: 1 << 3)
    }
}
