/// One party of a generated record.
enum Party: Sendable {
    case none
    case person(Int)
    case trunk(line: Int, channel: Int)
    case voicemail(channel: Int)
    case conference(number: Int, channel: Int)
    case barred
}

/// The content of one generated record before it is written out.
struct Leg {
    var callID: Int
    /// UTC seconds.
    var callStart: Int64
    var ring = 0
    var connected = 0
    var hold = 0
    var park = 0
    var caller: [UInt8] = []
    var isInbound = false
    var called: [UInt8] = []
    var dialled: [UInt8] = []
    var account: [UInt8] = []
    var isInternal = false
    var isContinued = false
    var party1: Party = .none
    var party2: Party = .none
    var userCharged: [UInt8] = []
    /// Advice-of-Charge units, when the call was charged.
    var chargeUnits: Int?
    var targeting: [UInt8] = []
    var targeterID: [UInt8] = []
    var targetedNumber: [UInt8] = []
    /// Site indices whose server addresses go in fields 31 and 33.
    var callingServer: Int?
    var calledServer: Int?
    var verification: [UInt8] = []

    init(callID: Int, callStart: Int64) {
        self.callID = callID
        self.callStart = callStart
    }
}
