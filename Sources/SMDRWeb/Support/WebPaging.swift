import SMDRReports

/// Paging of the app's long lists (review queue, calls): `page=N` in the query, at most
/// ``maximumPage`` (an offset that deep would read that many rows first; narrow the filter
/// instead), and "Newer"/"Older" links that keep the list's filters.
enum WebPaging {
    /// The deepest page a list goes to: 200 (10,000 rows at the default page size).
    static let maximumPage = 200

    /// `page` from the query: 1 … ``maximumPage``; 1 when absent or not a number.
    static func page(_ text: String?) -> Int {
        guard let text, let value = Int(text), value >= 1 else { return 1 }
        return min(value, Self.maximumPage)
    }

    /// The pager below a list: links to the page before and after (`hasNext`: more rows exist).
    static func links(_ segments: [String], query: [(String, String)], page: Int, hasNext: Bool) -> HTML {
        guard page > 1 || hasNext else { return HTML() }
        var links = HTML()
        if page > 1 {
            let previous = query + (page - 1 > 1 ? [("page", String(page - 1))] : [])
            links += "<a class=\"previous\" rel=\"prev\" href=\"\(WebLink.path(segments, query: previous))\">← Newer</a>"
        }
        links += "<span class=\"muted\">Page \(page)</span>"
        if hasNext && page < Self.maximumPage {
            links += "<a class=\"next\" rel=\"next\" href=\"\(WebLink.path(segments, query: query + [("page", String(page + 1))]))\">Older →</a>"
        } else if hasNext {
            links += "<span class=\"muted\">Narrow the filter to see older rows.</span>"
        }
        return "<nav class=\"pager\" aria-label=\"Pages\">\(links)</nav>\n"
    }
}
