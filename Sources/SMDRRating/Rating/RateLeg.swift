public import SMDRCore

/// A matched billable leg with what the rater needs of its call leg.
public struct RateLeg: Hashable, Sendable {
    public var match: LegMatch
    /// Connected (talk) time.
    public var talkSeconds: Int
    public var holdSeconds: Int
    /// Advice of Charge (field 21); `nil` when the PBX sent none.
    public var callCharge: ExactDecimal?
    /// Currency of ``callCharge`` as the PBX printed it (field 22); may be empty or not ISO 4217.
    public var chargeCurrency: String

    public init(match: LegMatch, talkSeconds: Int, holdSeconds: Int, callCharge: ExactDecimal? = nil, chargeCurrency: String = "") {
        self.match = match
        self.talkSeconds = talkSeconds
        self.holdSeconds = holdSeconds
        self.callCharge = callCharge
        self.chargeCurrency = chargeCurrency
    }
}
