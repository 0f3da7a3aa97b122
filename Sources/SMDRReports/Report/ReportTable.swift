// Lead's placeholder until part B's table merges.
package enum ReportTable { package static func text(_ report: BillingReport) -> String { "\(report)\n" } }
