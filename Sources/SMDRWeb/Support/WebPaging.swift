import SMDRReports

/// Paging of the app's long lists by page number (review queue, calls, the register's lists):
/// `page=N` in the query, at most a list's maximum (an `OFFSET` that deep reads that many rows
/// first; narrow the filter instead), and previous/next links that keep the list's filters.
/// (The statements list pages by key instead, after the last row shown.)
enum WebPaging {
    /// The deepest page of a list of calls: 200 (10,000 rows at the default page size).
    static let maximumPage = 200

    /// `page` from the query: 1 … `maximum`; 1 when absent or not a number.
    static func page(_ text: String?, maximum: Int = Self.maximumPage) -> Int {
        guard let text, let value = Int(text), value >= 1 else { return 1 }
        return min(value, maximum)
    }

    /// The pager below a list: links to the page before and after (`hasNext`: more rows exist),
    /// named `previous` and `next` (a list of calls, newest first, goes to "Older" ones).
    static func links(
        _ segments: [String], query: [(String, String)], page: Int, hasNext: Bool, maximum: Int = Self.maximumPage,
        previous: HTML = "← Newer", next: HTML = "Older →"
    ) -> HTML {
        guard page > 1 || hasNext else { return HTML() }
        var links = HTML()
        if page > 1 {
            let before = query + (page - 1 > 1 ? [("page", String(page - 1))] : [])
            links += "<a class=\"previous\" rel=\"prev\" href=\"\(WebLink.path(segments, query: before))\">\(previous)</a>"
        }
        links += "<span class=\"muted\">Page \(page)</span>"
        if hasNext && page < maximum {
            links += "<a class=\"next\" rel=\"next\" href=\"\(WebLink.path(segments, query: query + [("page", String(page + 1))]))\">\(next)</a>"
        } else if hasNext {
            links += "<span class=\"muted\">Narrow the filter to see more rows.</span>"
        }
        return "<nav class=\"pager\" aria-label=\"Pages\">\(links)</nav>\n"
    }
}
