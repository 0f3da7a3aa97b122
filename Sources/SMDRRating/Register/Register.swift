/// The billing register as the matcher sees it: one consistent snapshot of codes, client
/// numbers, defaults and timekeepers.
public struct Register: Sendable {
    public var codes: [AccountCode]
    public var numbers: [ClientNumber]
    public var defaults: [CodeDefault]
    public var timekeepers: [Timekeeper]

    public init(codes: [AccountCode] = [], numbers: [ClientNumber] = [], defaults: [CodeDefault] = [], timekeepers: [Timekeeper] = []) {
        self.codes = codes
        self.numbers = numbers
        self.defaults = defaults
        self.timekeepers = timekeepers
    }
}
