/// A statement's charges of one matter (or of none: "No matter"), in input order: the groups of
/// the itemised section, in order of their first charge, so the export order (no matter first)
/// decides the page's order too.
struct MatterGroup {
    var matterID: String?
    var matterName: String?
    var charges: [ExportCharge]

    /// The heading: the matter's name, else its id; "No matter" for charges billed to the client.
    var title: String {
        guard let matterID = self.matterID else { return "No matter" }
        return self.matterName.flatMap { $0.isEmpty ? nil : $0 } ?? matterID
    }

    static func groups(_ charges: [ExportCharge]) -> [MatterGroup] {
        var groups: [MatterGroup] = []
        var positions: [String?: Int] = [:]
        for charge in charges {
            if let position = positions[charge.matterID] {
                groups[position].charges.append(charge)
            } else {
                positions[charge.matterID] = groups.count
                groups.append(MatterGroup(matterID: charge.matterID, matterName: charge.matterName, charges: [charge]))
            }
        }
        return groups
    }
}
