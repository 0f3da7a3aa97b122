public import SMDRCore

/// What the stitcher and matcher read of one stored leg.
public struct MatchLeg: Hashable, Sendable {
    public var key: LegKey
    /// The leg's Call Start as an instant (seconds since 1970), resolved with the site's zone.
    public var startEpoch: Int
    public var connectedSeconds: Int
    public var ringSeconds: Int
    public var holdSeconds: Int
    public var parkSeconds: Int
    public var direction: Direction
    public var isInternal: Bool?
    /// Continuation 1: more legs of this call follow.
    public var isContinued: Bool
    /// Caller without any `@host` (field 4).
    public var callerNumber: String
    public var callerHost: String?
    public var calledNumber: String
    public var dialledNumber: String
    public var accountCode: String
    public var party1Device: Device
    public var party1Name: String
    public var party2Device: Device
    public var party2Name: String
    /// Advice of Charge (field 21); `nil` when empty.
    public var callCharge: ExactDecimal?
    /// Currency of ``callCharge`` as written (field 22).
    public var chargeCurrency: String

    public init(
        key: LegKey, startEpoch: Int, connectedSeconds: Int, ringSeconds: Int = 0, holdSeconds: Int = 0,
        parkSeconds: Int = 0, direction: Direction, isInternal: Bool?, isContinued: Bool, callerNumber: String,
        callerHost: String? = nil, calledNumber: String, dialledNumber: String, accountCode: String,
        party1Device: Device, party1Name: String, party2Device: Device, party2Name: String,
        callCharge: ExactDecimal? = nil, chargeCurrency: String = ""
    ) {
        self.key = key
        self.startEpoch = startEpoch
        self.connectedSeconds = connectedSeconds
        self.ringSeconds = ringSeconds
        self.holdSeconds = holdSeconds
        self.parkSeconds = parkSeconds
        self.direction = direction
        self.isInternal = isInternal
        self.isContinued = isContinued
        self.callerNumber = callerNumber
        self.callerHost = callerHost
        self.calledNumber = calledNumber
        self.dialledNumber = dialledNumber
        self.accountCode = accountCode
        self.party1Device = party1Device
        self.party1Name = party1Name
        self.party2Device = party2Device
        self.party2Name = party2Name
        self.callCharge = callCharge
        self.chargeCurrency = chargeCurrency
    }

    /// The leg of a parsed record, as the store would give it back.
    public init(record: CallRecord, siteID: Int, legOrdinal: Int, startEpoch: Int) {
        self.init(
            key: LegKey(siteID: siteID, callID: record.callID, startLocal: record.callStart, legOrdinal: legOrdinal),
            startEpoch: startEpoch,
            connectedSeconds: record.connectedSeconds,
            ringSeconds: record.ringSeconds,
            holdSeconds: record.holdSeconds,
            parkSeconds: record.parkSeconds,
            direction: record.direction,
            isInternal: record.isInternal,
            isContinued: record.isContinued,
            callerNumber: record.callerNumber,
            callerHost: record.callerHost,
            calledNumber: record.calledNumber,
            dialledNumber: record.dialledNumber,
            accountCode: record.accountCode,
            party1Device: record.party1Device,
            party1Name: record.party1Name,
            party2Device: record.party2Device,
            party2Name: record.party2Name,
            callCharge: record.callCharge,
            chargeCurrency: record.currency
        )
    }

    /// Ring, connected, hold and park time: how long the leg lasted, in seconds.
    var durationSeconds: Int { self.ringSeconds + self.connectedSeconds + self.holdSeconds + self.parkSeconds }

    /// The external party's number as stored in `call_leg.external_number`: caller for
    /// inbound, dialled for outbound; empty for an internal call.
    public var externalNumber: String {
        if self.isInternal == true { return "" }
        return self.direction == .inbound ? self.callerNumber : self.dialledNumber
    }
}
