package import SMDRCore
import SMDRRating

/// Charges of one currency added up: what every subtotal and total of a statement prints.
/// Exact (``ExactDecimal/adding(_:)``), so a total is the sum of the rows above it to the cent.
package struct ChargeSum: Sendable, Hashable {
    package var currency: String
    /// Calls the fees cover (a call two timekeepers billed counts for each).
    package var calls = 0
    /// Time the fees cover before grace, minimum and rounding.
    package var rawSeconds = 0
    package var billedHours = Figures.zeroHours
    package var fees: ExactDecimal
    /// Carrier cost passed on.
    package var expenses: ExactDecimal

    package init(currency: String) {
        self.currency = currency
        self.fees = Figures.zeroAmount(currency)
        self.expenses = Figures.zeroAmount(currency)
    }

    /// Fees and expenses.
    package var total: ExactDecimal { self.fees.adding(self.expenses) }

    /// Adds a charge of this currency: a fee's calls, time, hours and amount, or an expense's amount.
    package mutating func add(_ charge: ExportCharge) {
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
    package static func perCurrency(_ charges: some Sequence<ExportCharge>) -> [ChargeSum] {
        var sums: [String: ChargeSum] = [:]
        for charge in charges {
            sums[charge.currency, default: ChargeSum(currency: charge.currency)].add(charge)
        }
        return sums.values.sorted { $0.currency < $1.currency }
    }
}
