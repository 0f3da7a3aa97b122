package import SMDRCore

/// What `smdr report` shows for a period: billed hours and amounts per client, matter, timekeeper
/// and day, and what is not billed yet (the review queue, legs without a plan), so nothing slips.
///
/// Lines are per currency: amounts in different currencies are never added up. Hours are.
package struct BillingReport: Sendable, Hashable {
    package var firm: Firm
    /// First and last local day, inclusive.
    package var from: LocalDate
    package var to: LocalDate
    /// Per client; `key` = client_id, `label` = its name.
    package var clients: [Line]
    /// Per client and matter; `key` = `client_id/matter_id` (`client_id` alone for charges
    /// without a matter), `label` = `client name — matter name`.
    package var matters: [Line]
    /// Per timekeeper; `key` = timekeeper_id (empty when not registered), `label` = the name.
    package var timekeepers: [Line]
    /// Per local day with charges; `key` = `YYYY-MM-DD`, `label` = the same.
    package var days: [Line]
    /// Calls of the period waiting in the review queue (`smdr.unassigned_calls`), and their talk time.
    package var reviewQueueCalls: Int
    package var reviewQueueSeconds: Int
    /// Billable legs with a client but no rate plan (`smdr.unrated_legs`), and their talk time.
    package var unratedLegs: Int
    package var unratedSeconds: Int

    package init(
        firm: Firm, from: LocalDate, to: LocalDate, clients: [Line], matters: [Line], timekeepers: [Line], days: [Line],
        reviewQueueCalls: Int, reviewQueueSeconds: Int, unratedLegs: Int, unratedSeconds: Int
    ) {
        self.firm = firm
        self.from = from
        self.to = to
        self.clients = clients
        self.matters = matters
        self.timekeepers = timekeepers
        self.days = days
        self.reviewQueueCalls = reviewQueueCalls
        self.reviewQueueSeconds = reviewQueueSeconds
        self.unratedLegs = unratedLegs
        self.unratedSeconds = unratedSeconds
    }

    /// One group's sums in one currency, sorted by key, then currency.
    package struct Line: Sendable, Hashable {
        package var key: String
        package var label: String
        /// ISO 4217.
        package var currency: String
        /// Charges summed (fees and expenses).
        package var charges: Int
        /// Calls the fees cover (a call two timekeepers billed counts for each).
        package var calls: Int
        /// Time the fees cover before grace, minimum and rounding, in seconds.
        package var rawSeconds: Int
        /// Hours billed by the fees.
        package var billedHours: ExactDecimal
        /// Fees, at the currency's minor unit.
        package var fees: ExactDecimal
        /// Carrier cost passed on.
        package var expenses: ExactDecimal

        package init(
            key: String, label: String, currency: String, charges: Int, calls: Int, rawSeconds: Int,
            billedHours: ExactDecimal, fees: ExactDecimal, expenses: ExactDecimal
        ) {
            self.key = key
            self.label = label
            self.currency = currency
            self.charges = charges
            self.calls = calls
            self.rawSeconds = rawSeconds
            self.billedHours = billedHours
            self.fees = fees
            self.expenses = expenses
        }

        /// Fees and expenses.
        package var total: ExactDecimal { self.fees.adding(self.expenses) }
    }
}
