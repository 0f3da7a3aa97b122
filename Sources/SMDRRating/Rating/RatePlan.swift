public import SMDRCore

/// How time is billed (`plans`, DESIGN §7): rate and currency, increment, minimum, grace,
/// rounding, what one charge covers, hold time, and carrier cost pass-through.
public struct RatePlan: Hashable, Sendable {
    /// How billed time is brought to a multiple of the increment.
    public enum Rounding: String, Hashable, Sendable, CaseIterable {
        case up
        /// Half an increment or more rounds up (180 s of 360 s bills 0.1 h; 179 s bills nothing).
        case nearest
        case down
    }

    /// What one charge covers; always one timekeeper's time.
    public enum Scope: String, Hashable, Sendable, CaseIterable {
        /// Each billable leg on its own.
        case leg
        /// A timekeeper's legs of one call, summed.
        case call
        /// A timekeeper's legs for one client and matter on one local day, summed (whatever codes
        /// they were billed with: the charge takes the first leg's).
        case clientDay = "client_day"
    }

    public var id: String
    /// Per hour, in ``currency``, exact as written (`333.33`).
    public var hourlyRate: ExactDecimal
    /// ISO 4217 code.
    public var currency: String
    public var incrementSeconds: Int
    public var minimumSeconds: Int
    public var graceSeconds: Int
    public var rounding: Rounding
    public var scope: Scope
    public var billHoldTime: Bool
    /// `nil`: carrier cost is not passed on; otherwise Advice of Charge × (1 + this / 100).
    public var carrierMarkupPercent: ExactDecimal?

    public init(
        id: String, hourlyRate: ExactDecimal, currency: String, incrementSeconds: Int = 360, minimumSeconds: Int = 0,
        graceSeconds: Int = 0, rounding: Rounding = .up, scope: Scope = .leg, billHoldTime: Bool = false,
        carrierMarkupPercent: ExactDecimal? = nil
    ) {
        self.id = id
        self.hourlyRate = hourlyRate
        self.currency = currency
        self.incrementSeconds = incrementSeconds
        self.minimumSeconds = minimumSeconds
        self.graceSeconds = graceSeconds
        self.rounding = rounding
        self.scope = scope
        self.billHoldTime = billHoldTime
        self.carrierMarkupPercent = carrierMarkupPercent
    }
}
