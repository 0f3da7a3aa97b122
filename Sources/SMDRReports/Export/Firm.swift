/// Who bills: printed at the top of statements and reports, and `LAW_FIRM_ID` in LEDES.
package struct Firm: Sendable, Hashable {
    /// The firm's name (`SMDR_FIRM_NAME`); may be empty.
    package var name: String
    /// Address lines, top to bottom (`SMDR_FIRM_ADDRESS`, lines separated by `;`); may be empty.
    package var address: [String]
    /// The identifier clients' e-billing systems know the firm by, often its tax ID
    /// (`SMDR_LAW_FIRM_ID`): LEDES 1998B `LAW_FIRM_ID`, at most 20 characters.
    package var lawFirmID: String

    package init(name: String, address: [String], lawFirmID: String) {
        self.name = name
        self.address = address
        self.lawFirmID = lawFirmID
    }
}
