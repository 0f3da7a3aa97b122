import Testing

/// One row of issue 11 §5's table of rating cases: the register rows it adds (codes, plans, rates),
/// the capture lines, and the charges worked out by hand from DESIGN §7 (grace → minimum →
/// rounding to the increment → hours × rate, half-up to the currency's minor unit).
///
/// Cases use their own clients, codes and Call IDs, so all of them are rated in one database.
struct RatingCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Account code → client; each code is entered on that client's calls (rule `code`).
    var codes: [(code: String, client: String)]
    var plans: [String]
    var rates: [String]
    var lines: [String]
    /// Client → its billed fees in ``RatingFirm/fees(_:client:)``'s format. Every client of
    /// ``codes`` is checked: a client missing here must bill nothing.
    var fees: [String: [String]]
    /// Client → its expenses in ``RatingFirm/expenses(_:client:)``'s format; missing: none.
    var expenses: [String: [String]] = [:]

    var testDescription: String { self.name }

    var clients: [String] { self.codes.map(\.client) }
}
