import SMDRCore
import SMDRPostgres
import SMDRRating

/// What `smdr rate` prints about a run: the period, the run, what changed per client and matter
/// (before → after), closed months left alone, and unrated legs.
package struct RateReport: Sendable {
    package var summary: RateRun.Summary
    package var kind: RateRun.Kind
    package var dryRun: Bool

    package init(summary: RateRun.Summary, kind: RateRun.Kind, dryRun: Bool) {
        self.summary = summary
        self.kind = kind
        self.dryRun = dryRun
    }

    package var text: String {
        let summary = self.summary
        let verb = self.kind == .rerate ? "re-rated" : "rated"
        guard let period = summary.period else {
            return self.kind == .rerate ? "no legs stored in that period; nothing to re-rate\n" : "nothing new since the last run\n"
        }
        var text = "\(self.dryRun ? "dry run: " : "")\(verb) \(period.lowerBound) to \(period.upperBound): "
        if summary.changedDays == 0 {
            text += "no change\n"
        } else if self.dryRun {
            text += "\(Self.count(summary.changedDays, "site day")) would change, \(Self.count(summary.charges, "charge")); nothing written\n"
        } else {
            text += "run \(summary.run.map(String.init) ?? "-"), \(Self.count(summary.changedDays, "site day")) changed, \(Self.count(summary.charges, "charge")) written\n"
        }
        let match = summary.match
        let legs = match.legs.values.reduce(0, +)
        let rules = MatchRule.allCases.compactMap { rule in match.legs[rule].map { "\(rule.rawValue) \($0)" } }
        text += "  matched \(Self.count(match.calls, "call")), \(Self.count(legs, "billable leg"))"
        text += rules.isEmpty ? "" : " (\(rules.joined(separator: ", ")))"
        text += "; review queue: \(Self.count(match.unassignedCalls, "call"))\n"
        if match.incompleteCalls > 0 {
            text += "  \(Self.count(match.incompleteCalls, "call")) not complete yet, left for a later run\n"
        }
        if !summary.changes.isEmpty {
            text += self.dryRun ? "  would change:\n" : "  changed:\n"
            text += Self.table(summary.changes)
        }
        if !summary.closedChanges.isEmpty {
            let months = Set(summary.match.keptMonths.map { String($0.description.prefix(7)) }).sorted()
            text += "  closed \(months.count == 1 ? "month" : "months") \(months.joined(separator: ", ")) left as \(months.count == 1 ? "it is" : "they are")"
            text += "; a re-rate would change (smdr period reopen to apply):\n"
            text += Self.table(summary.closedChanges)
        }
        if summary.pruned > 0 {
            text += "  \(Self.count(summary.pruned, "superseded charge")) past keeping deleted\n"
        }
        if summary.unratedCount > 0 {
            text += "  unrated: \(Self.count(summary.unratedCount, "billable leg")) with a client but no plan (smdr.unrated_legs):\n"
            for unrated in summary.unrated {
                text += "    call \(unrated.leg.match.call.callID): \(unrated.reason)\n"
            }
            if summary.unratedCount > summary.unrated.count {
                text += "    … and \(summary.unratedCount - summary.unrated.count) more\n"
            }
        }
        return text
    }

    /// `amount` written with as many decimals as `other` when it has more (an empty side is 0).
    static func scaled(_ amount: ExactDecimal, _ other: ExactDecimal) -> String {
        var amount = amount
        while amount.scale < other.scale {
            amount = ExactDecimal(units: amount.units * 10, scale: amount.scale + 1)
        }
        return amount.description
    }

    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    /// The changes as an aligned table: client, matter, currency, calls, hours, amount.
    static func table(_ changes: [RateRun.Change]) -> String {
        var rows = [["client", "matter", "currency", "calls", "hours", "amount"]]
        for change in changes {
            rows.append([
                change.clientID, change.matterID ?? "-", change.currency,
                "\(change.before.calls) → \(change.after.calls)",
                "\(change.before.hours) → \(change.after.hours)",
                "\(Self.scaled(change.before.amount, change.after.amount)) → \(Self.scaled(change.after.amount, change.before.amount))",
            ])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            "    " + row.enumerated().map { column, cell in
                column == 5 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ") + "\n"
        }.joined()
    }
}
