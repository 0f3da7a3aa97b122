package import SMDRCore

/// Calls, billed time and amount of some charges of one client, matter and currency: a line of
/// what a re-rate changed.
package struct BillingTotals: Hashable, Sendable {
    /// Client, matter and currency: what totals are kept apart by.
    package struct Key: Hashable, Sendable, Comparable {
        package var clientID: String
        package var matterID: String?
        package var currency: String

        package init(clientID: String, matterID: String?, currency: String) {
            self.clientID = clientID
            self.matterID = matterID
            self.currency = currency
        }

        package static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.clientID, lhs.matterID ?? "", lhs.currency) < (rhs.clientID, rhs.matterID ?? "", rhs.currency)
        }
    }

    /// Distinct calls with a fee.
    package var calls: Int
    package var billedSeconds: Int
    package var amount: ExactDecimal

    package init(calls: Int = 0, billedSeconds: Int = 0, amount: ExactDecimal = ExactDecimal(units: 0, scale: 0)) {
        self.calls = calls
        self.billedSeconds = billedSeconds
        self.amount = amount
    }

    /// Billed hours, to 2 decimals when not exact in fewer (for a report line).
    package var hours: String {
        let hundredths = (self.billedSeconds * 100 + 1_800) / 3_600
        return ExactDecimal(units: Int64(hundredths), scale: 2).description
    }

    package static func + (lhs: BillingTotals, rhs: BillingTotals) -> BillingTotals {
        BillingTotals(calls: lhs.calls + rhs.calls, billedSeconds: lhs.billedSeconds + rhs.billedSeconds, amount: Self.sum(lhs.amount, rhs.amount))
    }

    package static func - (lhs: BillingTotals, rhs: BillingTotals) -> BillingTotals {
        lhs + BillingTotals(calls: -rhs.calls, billedSeconds: -rhs.billedSeconds, amount: ExactDecimal(units: -rhs.amount.units, scale: rhs.amount.scale))
    }

    /// `a + b` at the larger scale.
    static func sum(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal {
        let scale = max(a.scale, b.scale)
        func widened(_ value: ExactDecimal) -> Int64 {
            var units = value.units
            for _ in value.scale..<scale { units *= 10 }
            return units
        }
        return ExactDecimal(units: widened(a) + widened(b), scale: scale)
    }
}
