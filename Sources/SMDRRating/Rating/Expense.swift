package import SMDRCore

/// A leg's carrier cost passed on with the plan's markup (an `expense` charge, DESIGN §7):
/// Advice of Charge × (1 + markup / 100), half-up to the minor unit of its currency.
package struct Expense: Hashable, Sendable {
    package var amount: ExactDecimal
    /// The leg's currency when it is ISO 4217, else the plan's.
    package var currency: String
    /// One line, in words (`carrier cost 1.20 GBP (Advice of Charge) + 10% = 1.32 GBP`).
    package var trace: String

    /// - Parameters:
    ///   - cost: The leg's Advice of Charge.
    ///   - printedCurrency: The currency as the PBX printed it (may be empty or not ISO 4217).
    ///   - markupPercent: The plan's `carrier_markup_percent`.
    ///   - planCurrency: Used when `printedCurrency` is not an ISO 4217 code.
    package init(cost: ExactDecimal, printedCurrency: String, markupPercent: ExactDecimal, planCurrency: String) {
        var trace = "carrier cost \(cost) "
        let currency: String
        if let code = Currency.normalisedCode(printedCurrency) {
            currency = code
            trace += "\(code) (Advice of Charge)"
        } else {
            currency = planCurrency
            let printed = printedCurrency.trimmingBlanks
            if printed.isEmpty {
                trace += "\(planCurrency) (Advice of Charge; no currency on the leg: the plan's)"
            } else {
                trace += "\(planCurrency) (Advice of Charge; \"\(printed)\" is not ISO 4217: the plan's currency)"
            }
        }
        let minorUnit = Currency.minorUnit(of: currency) ?? Currency.fallbackMinorUnit
        let amount = Money.markedUp(cost, percent: markupPercent, minorUnit: minorUnit)
        let sign = markupPercent.units < 0 ? "-" : "+"
        let magnitude = ExactDecimal(units: Int64(markupPercent.units.magnitude), scale: markupPercent.scale)
        trace += " \(sign) \(magnitude)% = \(amount) \(currency)"
        self.amount = amount
        self.currency = currency
        self.trace = trace
    }
}

extension String {
    /// Without spaces and tabs at either end.
    fileprivate var trimmingBlanks: String {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        guard let first = self.firstIndex(where: { !isBlank($0) }), let last = self.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
