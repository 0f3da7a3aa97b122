// Lead's placeholder until part A's writers merge; deleted then.
extension ExportFormat {
    package func writer(firm: Firm, period: ExportPeriod) -> any ExportWriter { LeadStubWriter() }
}

private struct LeadStubWriter: ExportWriter {
    mutating func start(into output: inout [UInt8]) {}
    mutating func append(_ charge: ExportCharge, into output: inout [UInt8]) throws(ExportError) {
        output += Array("\(charge.chargeID),\(charge.clientID),\(charge.amount),\(charge.calls.map(\.externalName))\n".utf8)
    }
    mutating func finish(into output: inout [UInt8]) throws(ExportError) {}
}

package enum ReportTable { package static func text(_ report: BillingReport) -> String { "\(report)\n" } }
package enum ReportCSV { package static func bytes(_ report: BillingReport) -> [UInt8] { [] } }
package enum ReportJSON { package static func bytes(_ report: BillingReport) -> [UInt8] { [] } }
