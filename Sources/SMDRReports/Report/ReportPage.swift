/// `smdr report --html`: the report as one self-contained page with inline SVG charts.
package enum ReportPage {
    package static func html(_ report: BillingReport, paper: Paper) -> [UInt8] {
        // Skeleton: replaced by the report writer (part B).
        Array("<!doctype html><html><head><meta charset=\"utf-8\"><title>Report</title></head><body></body></html>\n".utf8)
    }
}
