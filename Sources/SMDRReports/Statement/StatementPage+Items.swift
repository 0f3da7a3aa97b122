import SMDRCore
import SMDRRating

extension StatementPage {
    /// One matter's fees, a row per charge (with a row per call when it covers several), then
    /// its subtotals: per code when the matter has more than one, and per currency.
    static func matterSection(_ group: MatterGroup) -> HTML {
        var section: HTML = "<h3>\(group.title)"
        if let matterID = group.matterID, group.title != matterID {
            section += " <span class=\"muted\">\(matterID)</span>"
        }
        section += """
            </h3>
            <table class="items fees">
            <thead><tr><th>Date</th><th>Time</th><th>Timekeeper</th><th>External party</th>\
            <th class="num">Minutes</th><th class="num">Hours</th><th class="num">Rate</th><th class="num">Amount</th>\
            <th>Code</th></tr></thead>

            """
        for charge in group.charges {
            section += Self.feeItem(charge)
        }
        section += "<tbody class=\"subtotals\">\n"
        let codes = Set(group.charges.map(\.code))
        if codes.count > 1 {
            for code in codes.sorted() {
                for sum in ChargeSum.perCurrency(group.charges.lazy.filter { $0.code == code }) {
                    section += Self.subtotalRow("subcode", label: "Code \(code)", sum)
                }
            }
        }
        for sum in ChargeSum.perCurrency(group.charges) {
            section += Self.subtotalRow("subtotal", label: "Subtotal \(group.title)", sum)
        }
        section += "</tbody>\n</table>\n"
        return section
    }

    /// A subtotal of fees: minutes, hours and amount under their columns.
    private static func subtotalRow(_ rowClass: StaticString, label: String, _ sum: ChargeSum) -> HTML {
        let rowClass = HTML(stringLiteral: rowClass)
        return """
            <tr class="\(rowClass)"><td colspan="4">\(label)</td>\
            <td class="num">\(Figures.minutes(seconds: sum.rawSeconds))</td>\
            <td class="num">\(Figures.hours(sum.billedHours))</td><td></td>\
            <td class="num">\(Figures.amount(sum.fees, sum.currency))</td><td></td></tr>

            """
    }

    /// One fee: a `tbody` of its own so a printed page never splits a charge from its calls.
    /// The trace is the row's `title` (staff hovering over the page see how the amount was
    /// derived; the printed statement the client gets stays clean).
    private static func feeItem(_ charge: ExportCharge) -> HTML {
        let rate: HTML
        if charge.billedSeconds == 0 {
            rate = "not billed"
        } else if let hourlyRate = charge.hourlyRate {
            rate = "\(hourlyRate)/h"
        } else {
            rate = ""
        }
        let first = charge.calls.first
        let party: HTML = charge.calls.count > 1 ? "\(charge.calls.count) calls" : Self.party(first)
        var item: HTML = """
            <tbody class="item">
            <tr title="\(charge.trace)"><td>\(charge.chargeDate)</td>\
            <td>\(Figures.time(first?.start ?? charge.firstStartLocal))</td><td>\(charge.timekeeperName)</td>\
            <td class="party">\(party)</td><td class="num">\(Figures.minutes(seconds: charge.rawSeconds))</td>\
            <td class="num">\(Figures.hours(charge.billedHours))</td><td class="num">\(rate)</td>\
            <td class="num">\(Figures.amount(charge.amount, charge.currency))</td><td>\(charge.code)</td></tr>

            """
        if charge.calls.count > 1 {
            for call in charge.calls {
                item += """
                    <tr class="call"><td></td><td>\(Figures.time(call.start))</td><td></td>\
                    <td class="party">\(Self.party(call))</td>\
                    <td class="num">\(Figures.minutes(seconds: call.seconds))</td><td></td><td></td><td></td><td></td>\
                    </tr>

                    """
            }
        }
        item += "</tbody>\n"
        return item
    }

    /// The external party: the number as the PBX gave it ("withheld" when there is none) and
    /// the caller's name under it.
    static func party(_ call: ExportCall?) -> HTML {
        guard let call else { return "" }
        var party: HTML = call.externalNumber.isEmpty ? "<span class=\"muted\">withheld</span>" : "\(call.externalNumber)"
        if !call.externalName.isEmpty {
            party += "<br><span class=\"muted\">\(call.externalName)</span>"
        }
        return party
    }

    /// Carrier cost passed on, apart from the fees, with its own subtotal per currency.
    static func expenseSection(_ expenses: [ExportCharge]) -> HTML {
        var section: HTML = """
            <h2>Expenses</h2>
            <p class="note">Carrier cost of calls, passed on.</p>
            <table class="items">
            <thead><tr><th>Date</th><th>Time</th><th>Timekeeper</th><th>External party</th><th>Matter</th>\
            <th>Code</th><th class="num">Amount</th></tr></thead>

            """
        for charge in expenses {
            let first = charge.calls.first
            let matter = MatterGroup(matterID: charge.matterID, matterName: charge.matterName, charges: []).title
            section += """
                <tbody class="item"><tr title="\(charge.trace)"><td>\(charge.chargeDate)</td>\
                <td>\(Figures.time(first?.start ?? charge.firstStartLocal))</td><td>\(charge.timekeeperName)</td>\
                <td class="party">\(Self.party(first))</td><td>\(matter)</td><td>\(charge.code)</td>\
                <td class="num">\(Figures.amount(charge.amount, charge.currency))</td></tr></tbody>

                """
        }
        section += "<tbody class=\"subtotals\">\n"
        for sum in ChargeSum.perCurrency(expenses) {
            section += """
                <tr class="subtotal"><td colspan="6">Subtotal expenses</td>\
                <td class="num">\(Figures.amount(sum.expenses, sum.currency))</td></tr>

                """
        }
        section += "</tbody>\n</table>\n"
        return section
    }
}
