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
        var trace = TraceText()
        self.init(plan: plan, minorUnit: minorUnit, talkSeconds: talkSeconds, holdSeconds: holdSeconds, trace: &trace)
    }

    /// As the other, writing the trace through `trace`, a buffer reused from charge to charge.
    init(plan: RatePlan, minorUnit: Int, talkSeconds: some Collection<Int>, holdSeconds: some Collection<Int>, trace: inout TraceText) {
        let talk = talkSeconds.reduce(0, +)
        let hold = holdSeconds.reduce(0, +)
        let total = plan.billHoldTime ? talk + hold : talk

        trace.removeAll()
        let legCount = talkSeconds.count
        if legCount == 1 {
            trace.append(talk)
            trace.append(" s talk")
        } else if legCount <= Self.tracedLegsLimit {
            trace.append(legCount)
            trace.append(" legs: ")
            var first = true
            for seconds in talkSeconds {
                if !first { trace.append(" + ") }
                trace.append(seconds)
                first = false
            }
            trace.append(" s talk")
        } else {
            trace.append(talk)
            trace.append(" s talk (")
            trace.append(legCount)
            trace.append(" legs)")
        }
        if plan.billHoldTime {
            trace.append(" + ")
            trace.append(hold)
            trace.append(" s hold")
            if hold != 0 {
                trace.append(" = ")
                trace.append(total)
                trace.append(" s")
            }
        } else if hold != 0 {
            trace.append("; ")
            trace.append(hold)
            trace.append(" s hold not billed")
        }

        var billed = 0
        if total <= 0 {
            trace.append("; nothing to bill")
        } else if total < plan.graceSeconds {
            trace.append("; below grace ")
            trace.append(plan.graceSeconds)
            trace.append(" s: not billed")
        } else {
            billed = total
            if plan.minimumSeconds > 0 {
                trace.append("; minimum ")
                trace.append(plan.minimumSeconds)
                if billed < plan.minimumSeconds {
                    billed = plan.minimumSeconds
                    trace.append(" s → ")
                    trace.append(billed)
                    trace.append(" s")
                } else {
                    trace.append(" s met")
                }
            }
            let increment = max(plan.incrementSeconds, 1)
            let remainder = billed % increment
            switch plan.rounding {
            case .up:
                if remainder != 0 { billed += increment - remainder }
                trace.append("; up to ")
            case .down:
                billed -= remainder
                trace.append("; down to ")
            case .nearest:
                billed += remainder * 2 >= increment ? increment - remainder : -remainder
                trace.append("; nearest ")
            }
            trace.append(increment)
            trace.append(" s → ")
            trace.append(billed)
            trace.append(" s")
        }

        let hours = Money.hours(seconds: billed)
        let amount = Money.fee(seconds: billed, rate: plan.hourlyRate, minorUnit: minorUnit)
        trace.append(" = ")
        trace.append(hours)
        trace.append(" h × ")
        trace.append(plan.hourlyRate)
        trace.append(" = ")
        trace.append(amount)
        trace.append(" ")
        trace.append(plan.currency)

        self.rawSeconds = total
        self.billedSeconds = billed
        self.billedHours = hours
        self.amount = amount
        self.trace = trace.text
    }
}
