/// One client's statement for one month as a self-contained HTML page (no external assets, print
/// CSS for A4 and Letter), the page `smdr statement` writes and Chromium prints to PDF.
package enum StatementPage {
    /// The page, UTF-8. The same input gives the same bytes (a closed month's statement is
    /// reproducible byte for byte).
    package static func html(_ input: StatementInput) -> [UInt8] {
        // Skeleton: replaced by the statement writer (part B).
        Array("<!doctype html><html><head><meta charset=\"utf-8\"><title>Statement</title></head><body></body></html>\n".utf8)
    }
}
