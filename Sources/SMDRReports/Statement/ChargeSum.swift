import SMDRCore
import SMDRRating

/// Charges of one currency added up: what every subtotal and total of a statement prints.
/// Exact (``ExactDecimal/adding(_:)``), so a total is the sum of the rows above it to the cent.
struct ChargeSum: Sendable, Hashable {
    var currency: String
    /// Calls the fees cover (a call two timekeepers billed counts for each).
    var calls = 0
    /// Time the fees cover before grace, minimum and rounding.
    var rawSeconds = 0
    var billedHours = Figures.zeroHours
    var fees: ExactDecimal
    /// Carrier cost passed on.
    var expenses: ExactDecimal

    init(currency: String) {
        self.currency = currency
        self.fees = Figures.zeroAmount(currency)
        self.expenses = Figures.zeroAmount(currency)
    }

    /// Fees and expenses.
    var total: ExactDecimal { self.fees.adding(self.expenses) }

    /// Adds a charge of this currency: a fee's calls, time, hours and amount, or an expense's amount.
    mutating func add(_ charge: ExportCharge) {
        precondition(charge.currency == self.currency, "a sum never adds two currencies")
        switch charge.kind {
        case .fee:
            self.calls += charge.callCount
            self.rawSeconds += charge.rawSeconds
            self.billedHours = self.billedHours.adding(charge.billedHours)
            self.fees = self.fees.adding(charge.amount)
        case .expense:
            self.expenses = self.expenses.adding(charge.amount)
        }
    }

    /// One sum per currency of `charges`, in order of currency code.
    static func perCurrency(_ charges: some Sequence<ExportCharge>) -> [ChargeSum] {
        var sums: [String: ChargeSum] = [:]
        for charge in charges {
            sums[charge.currency, default: ChargeSum(currency: charge.currency)].add(charge)
        }
        return sums.values.sorted { $0.currency < $1.currency }
    }
}
