extension CallRecord {
    /// The SMDR fields by their 1-based position, named as in Avaya's "SMDR Fields" pages.
    public enum Field: Int, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        case callStart = 1
        case connectedTime
        case ringTime
        case caller
        case direction
        case calledNumber
        case dialledNumber
        case account
        case isInternal
        case callID
        case continuation
        case party1Device
        case party1Name
        case party2Device
        case party2Name
        case holdTime
        case parkTime
        case authValid
        case authCode
        case userCharged
        case callCharge
        case currency
        case amountAtLastUserChange
        case callUnits
        case unitsAtLastUserChange
        case costPerUnit
        case markUp
        case externalTargetingCause
        case externalTargeterID
        case externalTargetedNumber
        case callingPartyServerIP
        case callerUniqueCallID
        case calledPartyServerIP
        case calledUniqueCallID
        case recordTime
        case consentDirective
        case callingNumberVerification

        /// The position of the field in the line, 1-based.
        public var number: Int { self.rawValue }

        public var description: String {
            switch self {
            case .callStart: "Call Start"
            case .connectedTime: "Connected Time"
            case .ringTime: "Ring Time"
            case .caller: "Caller"
            case .direction: "Direction"
            case .calledNumber: "Called Number"
            case .dialledNumber: "Dialled Number"
            case .account: "Account"
            case .isInternal: "Is Internal"
            case .callID: "Call ID"
            case .continuation: "Continuation"
            case .party1Device: "Party1Device"
            case .party1Name: "Party1Name"
            case .party2Device: "Party2Device"
            case .party2Name: "Party2Name"
            case .holdTime: "Hold Time"
            case .parkTime: "Park Time"
            case .authValid: "AuthValid"
            case .authCode: "AuthCode"
            case .userCharged: "User Charged"
            case .callCharge: "Call Charge"
            case .currency: "Currency"
            case .amountAtLastUserChange: "Amount at Last User Change"
            case .callUnits: "Call Units"
            case .unitsAtLastUserChange: "Units at Last User Change"
            case .costPerUnit: "Cost per Unit"
            case .markUp: "Mark Up"
            case .externalTargetingCause: "External Targeting Cause"
            case .externalTargeterID: "External Targeter Id"
            case .externalTargetedNumber: "External Targeted Number"
            case .callingPartyServerIP: "Calling Party Server IP Address"
            case .callerUniqueCallID: "Unique Call ID for the Caller Extension"
            case .calledPartyServerIP: "Called Party Server IP Address"
            case .calledUniqueCallID: "Unique Call ID for the Called Extension"
            case .recordTime: "SMDR Record Time"
            case .consentDirective: "Caller Consent Directive"
            case .callingNumberVerification: "Calling Number Verification"
            }
        }
    }
}
