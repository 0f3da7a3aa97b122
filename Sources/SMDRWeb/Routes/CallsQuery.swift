import Foundation
import SMDRCore
import SMDRPostgres

/// The calls page's filters as the query string carries them (`from`, `to`, `client`,
/// `timekeeper`, `code`, `number`, `q`, `page`): parsed for the store, and given back for the
/// form and the pager links. The period defaults to the month of `today` (``WebEnvironment/today``).
struct CallsQuery {
    /// The longest period one search covers: 366 days (a year's calls; page through it).
    static let maximumDays = 366
    /// The longest period a search by caller name or number covers: 31 days. Neither has an
    /// index (a name or number that no call has reads every leg of the period: 3 s over a year
    /// at 1M legs, about 0.1 s over a month), so such a search covers the last 31 days of the
    /// period asked for, and says so.
    static let maximumTextSearchDays = 31

    var from: LocalDate
    var to: LocalDate
    var client = ""
    var timekeeper = ""
    var code = ""
    var number = ""
    var text = ""
    var page = 1
    /// What could not be read; such a filter is replaced by its default.
    var problems: [String] = []

    init(_ fields: FormFields, today: LocalDate) {
        func text(_ name: String) -> String { (fields[name] ?? "").trimmed() }
        self.from = today.firstOfMonth
        self.to = today.lastOfMonth
        for (name, value) in [("from", text("from")), ("to", text("to"))] where !value.isEmpty {
            guard let date = LocalDate(iso: value) else {
                self.problems.append("\(name) '\(value)' is not a date (YYYY-MM-DD); the current month is shown.")
                continue
            }
            if name == "from" { self.from = date } else { self.to = date }
        }
        if self.to < self.from {
            self.problems.append("to \(self.to) is before from \(self.from); the current month is shown.")
            (self.from, self.to) = (today.firstOfMonth, today.lastOfMonth)
        }
        if self.to.daysSince(self.from) >= Self.maximumDays {
            self.to = self.from.adding(days: Self.maximumDays - 1)
            self.problems.append("A search covers at most \(Self.maximumDays) days: to is \(self.to).")
        }
        self.client = text("client")
        self.timekeeper = text("timekeeper")
        self.code = text("code")
        self.number = text("number")
        self.text = text("q")
        if !(self.number.isEmpty && self.text.isEmpty), self.to.daysSince(self.from) >= Self.maximumTextSearchDays {
            self.from = self.to.adding(days: -(Self.maximumTextSearchDays - 1))
            self.problems.append(
                "A search by caller name or number covers at most \(Self.maximumTextSearchDays) days: from is \(self.from)."
            )
        }
        self.page = WebPaging.page(fields["page"])
    }

    var filter: CallsStore.Filter {
        func given(_ text: String) -> String? { text.isEmpty ? nil : text }
        return CallsStore.Filter(
            from: self.from, to: self.to, clientID: given(self.client), timekeeperID: given(self.timekeeper), code: given(self.code),
            number: given(self.number), text: given(self.text)
        )
    }

    /// The filters as query pairs, without the page.
    var pairs: [(String, String)] {
        [
            ("from", self.from.description), ("to", self.to.description), ("client", self.client), ("timekeeper", self.timekeeper),
            ("code", self.code), ("number", self.number), ("q", self.text),
        ]
    }
}
