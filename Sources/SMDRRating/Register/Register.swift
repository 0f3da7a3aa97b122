/// The billing register as the matcher sees it: one consistent snapshot of codes, client
/// numbers, defaults, timekeepers, rate plans and rate assignments.
public struct Register: Sendable {
    public var codes: [AccountCode]
    public var numbers: [ClientNumber]
    public var defaults: [CodeDefault]
    public var timekeepers: [Timekeeper]
    public var plans: [RatePlan]
    public var rates: [RateAssignment]

    public init(
        codes: [AccountCode] = [], numbers: [ClientNumber] = [], defaults: [CodeDefault] = [], timekeepers: [Timekeeper] = [],
        plans: [RatePlan] = [], rates: [RateAssignment] = []
    ) {
        self.codes = codes
        self.numbers = numbers
        self.defaults = defaults
        self.timekeepers = timekeepers
        self.plans = plans
        self.rates = rates
    }
}
