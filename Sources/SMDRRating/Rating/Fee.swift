package import SMDRCore

/// The billed time and amount of one fee charge under a plan, and how they were derived
/// (DESIGN §7): total → grace → minimum → rounding → hours → amount.
package struct Fee: Hashable, Sendable {
    /// Talk plus hold when the plan bills it.
    package var rawSeconds: Int
    /// 0: not billed.
    package var billedSeconds: Int
    package var billedHours: ExactDecimal
    /// At the currency's minor unit.
    package var amount: ExactDecimal
    /// One line, in words.
    package var trace: String

    /// Most legs whose talk times a trace lists one by one (`3 legs: 180 + 180 + 180 s talk`);
    /// more are given as a total (`2160 s talk (12 legs)`), so a busy day's trace stays one short line.
    package static let tracedLegsLimit = 6

    /// Rates the legs of one charge.
    ///
    /// - Parameters:
    ///   - plan: The plan the legs are billed under.
    ///   - minorUnit: Decimals of `plan.currency`.
    ///   - talkSeconds: Each leg's talk time, in the charge's order of legs (not empty).
    ///   - holdSeconds: Each leg's hold time, in the same order.
    package init(plan: RatePlan, minorUnit: Int, talkSeconds: some Collection<Int>, holdSeconds: some Collection<Int>) {
        let talk = talkSeconds.reduce(0, +)
        let hold = holdSeconds.reduce(0, +)
        let total = plan.billHoldTime ? talk + hold : talk

        var trace = ""
        trace.reserveCapacity(120)
        let legCount = talkSeconds.count
        if legCount == 1 {
            trace += "\(talk) s talk"
        } else if legCount <= Self.tracedLegsLimit {
            trace += "\(legCount) legs: "
            var first = true
            for seconds in talkSeconds {
                if !first { trace += " + " }
                trace += String(seconds)
                first = false
            }
            trace += " s talk"
        } else {
            trace += "\(talk) s talk (\(legCount) legs)"
        }
        if plan.billHoldTime {
            trace += " + \(hold) s hold"
            if hold != 0 { trace += " = \(total) s" }
        } else if hold != 0 {
            trace += "; \(hold) s hold not billed"
        }

        var billed = 0
        if total <= 0 {
            trace += "; nothing to bill"
        } else if total < plan.graceSeconds {
            trace += "; below grace \(plan.graceSeconds) s: not billed"
        } else {
            billed = total
            if plan.minimumSeconds > 0 {
                if billed < plan.minimumSeconds {
                    billed = plan.minimumSeconds
                    trace += "; minimum \(plan.minimumSeconds) s → \(billed) s"
                } else {
                    trace += "; minimum \(plan.minimumSeconds) s met"
                }
            }
            let increment = max(plan.incrementSeconds, 1)
            let remainder = billed % increment
            let rounded: Int
            switch plan.rounding {
            case .up:
                rounded = remainder == 0 ? billed : billed - remainder + increment
                trace += "; up to \(increment) s → \(rounded) s"
            case .down:
                rounded = billed - remainder
                trace += "; down to \(increment) s → \(rounded) s"
            case .nearest:
                rounded = remainder * 2 >= increment ? billed - remainder + increment : billed - remainder
                trace += "; nearest \(increment) s → \(rounded) s"
            }
            billed = rounded
        }

        let hours = Money.hours(seconds: billed)
        let amount = Money.fee(seconds: billed, rate: plan.hourlyRate, minorUnit: minorUnit)
        trace += " = \(hours) h × \(plan.hourlyRate) = \(amount) \(plan.currency)"

        self.rawSeconds = total
        self.billedSeconds = billed
        self.billedHours = hours
        self.amount = amount
        self.trace = trace
    }
}
