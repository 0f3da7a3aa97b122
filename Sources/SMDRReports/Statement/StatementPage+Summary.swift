extension StatementPage {
    /// The total per currency: fees, expenses and what the client owes. Two currencies are
    /// never added up; each has its line.
    static func totalsSection(_ charges: [ExportCharge]) -> HTML {
        guard !charges.isEmpty else { return "" }
        var section: HTML = """
            <h2>Total</h2>
            <table class="totals">
            <thead><tr><th>Currency</th><th class="num">Billed hours</th><th class="num">Fees</th>\
            <th class="num">Expenses</th><th class="num">Total</th></tr></thead>
            <tbody>

            """
        for sum in ChargeSum.perCurrency(charges) {
            section += """
                <tr class="total"><td>\(sum.currency)</td><td class="num">\(Figures.hours(sum.billedHours))</td>\
                <td class="num">\(Figures.amount(sum.fees, sum.currency))</td>\
                <td class="num">\(Figures.amount(sum.expenses, sum.currency))</td>\
                <td class="num">\(Figures.amount(sum.total, sum.currency))</td></tr>

                """
        }
        section += "</tbody>\n</table>\n"
        return section
    }

    /// The Billing Code Summary (AT Conference's invoice section): per code, its matter, the
    /// calls, minutes and hours billed and the amounts, then the totals per currency, which are
    /// the statement's totals. Ordered by code, so a client finds a code where they expect it.
    static func codeSummarySection(_ charges: [ExportCharge]) -> HTML {
        struct Key: Hashable {
            var code: String
            var matterID: String?
            var currency: String
        }
        var groups: [Key: (matter: String, charges: [ExportCharge])] = [:]
        for charge in charges {
            let key = Key(code: charge.code, matterID: charge.matterID, currency: charge.currency)
            let matter = MatterGroup(matterID: charge.matterID, matterName: charge.matterName, charges: []).title
            groups[key, default: (matter, [])].charges.append(charge)
        }
        let keys = groups.keys.sorted {
            ($0.code, $0.matterID ?? "", $0.currency) < ($1.code, $1.matterID ?? "", $1.currency)
        }
        var section: HTML = """
            <h2>Billing Code Summary</h2>
            <table class="codes">
            <thead><tr><th>Code</th><th>Matter</th><th class="num">Calls</th><th class="num">Minutes</th>\
            <th class="num">Billed hours</th><th class="num">Fees</th><th class="num">Expenses</th>\
            <th class="num">Amount</th></tr></thead>
            <tbody>

            """
        for key in keys {
            guard let group = groups[key], let sum = ChargeSum.perCurrency(group.charges).first else { continue }
            section += """
                <tr><td>\(key.code)</td><td>\(group.matter)</td>\(Self.summaryFigures(sum))</tr>

                """
        }
        for sum in ChargeSum.perCurrency(charges) {
            section += """
                <tr class="total"><td colspan="2">Total</td>\(Self.summaryFigures(sum))</tr>

                """
        }
        section += "</tbody>\n</table>\n"
        return section
    }

    private static func summaryFigures(_ sum: ChargeSum) -> HTML {
        """
        <td class="num">\(sum.calls)</td><td class="num">\(Figures.minutes(seconds: sum.rawSeconds))</td>\
        <td class="num">\(Figures.hours(sum.billedHours))</td>\
        <td class="num">\(Figures.amount(sum.fees, sum.currency))</td>\
        <td class="num">\(Figures.amount(sum.expenses, sum.currency))</td>\
        <td class="num">\(Figures.amount(sum.total, sum.currency))</td>
        """
    }
}
