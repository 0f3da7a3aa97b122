package import SMDRCore

/// Everything one client's statement for one month is made of (`smdr statement`): read in one
/// snapshot, so the page never mixes two rating runs.
package struct StatementInput: Sendable, Hashable {
    package var firm: Firm
    package var clientID: String
    package var clientName: String
    /// First day of the month.
    package var month: LocalDate
    /// The day the month was closed (`smdr period close`); `nil` while it is open and the
    /// statement is a draft that may still change.
    package var closedOn: LocalDate?
    /// The client's current charges of the month, in the export order (see ``ExportWriter``).
    package var charges: [ExportCharge]
    /// The page size printed (`@page size`).
    package var paper: Paper

    package init(
        firm: Firm, clientID: String, clientName: String, month: LocalDate, closedOn: LocalDate?,
        charges: [ExportCharge], paper: Paper
    ) {
        self.firm = firm
        self.clientID = clientID
        self.clientName = clientName
        self.month = month
        self.closedOn = closedOn
        self.charges = charges
        self.paper = paper
    }
}

/// The paper statements and reports are laid out for (`SMDR_PAPER`).
package enum Paper: String, Sendable, Hashable, CaseIterable {
    /// 210 × 297 mm.
    case a4
    /// 8.5 × 11 in.
    case letter
}
