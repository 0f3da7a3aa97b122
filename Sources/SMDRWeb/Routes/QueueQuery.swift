import SMDRCore
import SMDRPostgres

/// The review queue's filters as the query string carries them (`site`, `timekeeper`, `from`,
/// `to`, `page`): parsed for the store, and given back for links and forms, so the filters
/// survive a page change and an assignment.
struct QueueQuery {
    var site = ""
    var timekeeper = ""
    var from = ""
    var to = ""
    var page = 1
    /// What could not be read (a date that is not `YYYY-MM-DD`); such a filter is ignored.
    var problems: [String] = []

    init(_ fields: FormFields) {
        func text(_ name: String) -> String { (fields[name] ?? "").trimmed() }
        self.site = text("site")
        self.timekeeper = text("timekeeper")
        self.from = text("from")
        self.to = text("to")
        self.page = WebPaging.page(fields["page"])
        for (name, value) in [("from", self.from), ("to", self.to)] where !value.isEmpty && LocalDate(iso: value) == nil {
            self.problems.append("\(name) '\(value)' is not a date (YYYY-MM-DD); it was ignored.")
        }
    }

    var filter: QueueStore.Filter {
        QueueStore.Filter(
            site: self.site.isEmpty ? nil : self.site, timekeeperID: self.timekeeper.isEmpty ? nil : self.timekeeper,
            from: LocalDate(iso: self.from), to: LocalDate(iso: self.to)
        )
    }

    /// The filters as query pairs (empty ones are left out of links), without the page.
    var pairs: [(String, String)] {
        [("site", self.site), ("timekeeper", self.timekeeper), ("from", self.from), ("to", self.to)]
    }
}
