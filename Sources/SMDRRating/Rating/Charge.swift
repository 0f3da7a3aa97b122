public import SMDRCore

/// One line of billing (`smdr.charges`): a timekeeper's time under one plan (a fee), or a leg's
/// carrier cost passed on (an expense), with how the amount was derived.
public struct Charge: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case fee
        case expense
    }

    public var kind: Kind
    public var siteID: Int
    /// Local day of the start of the first call covered.
    public var date: LocalDate
    public var clientID: String
    public var matterID: String?
    public var code: String
    public var timekeeperID: String?
    /// Registered name, else the user's name on the PBX.
    public var timekeeperName: String
    public var scope: RatePlan.Scope
    /// The calls covered, distinct, in order of start.
    public var calls: [CallKey]
    /// The legs covered, in order of start.
    public var legs: [LegKey]
    /// Talk (+ hold when billed) before grace, minimum and rounding; 0 for an expense (its fee has the time).
    public var rawSeconds: Int
    /// 0: not billed.
    public var billedSeconds: Int
    /// `billedSeconds / 3600`: exact when it has at most 4 decimals, else half-up to 6.
    public var billedHours: ExactDecimal
    /// `nil` for an expense.
    public var hourlyRate: ExactDecimal?
    /// Half-up to the currency's minor unit (scale = its exponent).
    public var amount: ExactDecimal
    public var currency: String
    public var planID: String
    /// Match rules of the legs, distinct, in precedence order.
    public var rules: [MatchRule]
    /// How the amount was derived, in words.
    public var trace: String
    /// A leg's external number is a blocked client number.
    public var blocked: Bool

    public init(
        kind: Kind, siteID: Int, date: LocalDate, clientID: String, matterID: String?, code: String, timekeeperID: String?,
        timekeeperName: String, scope: RatePlan.Scope, calls: [CallKey], legs: [LegKey], rawSeconds: Int, billedSeconds: Int,
        billedHours: ExactDecimal, hourlyRate: ExactDecimal?, amount: ExactDecimal, currency: String, planID: String,
        rules: [MatchRule], trace: String, blocked: Bool
    ) {
        self.kind = kind
        self.siteID = siteID
        self.date = date
        self.clientID = clientID
        self.matterID = matterID
        self.code = code
        self.timekeeperID = timekeeperID
        self.timekeeperName = timekeeperName
        self.scope = scope
        self.calls = calls
        self.legs = legs
        self.rawSeconds = rawSeconds
        self.billedSeconds = billedSeconds
        self.billedHours = billedHours
        self.hourlyRate = hourlyRate
        self.amount = amount
        self.currency = currency
        self.planID = planID
        self.rules = rules
        self.trace = trace
        self.blocked = blocked
    }
}
