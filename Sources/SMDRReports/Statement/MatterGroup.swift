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

    /// Matters are told apart by their IDs' bytes, as PostgreSQL does: `é` and `e` + U+0301 are
    /// equal Swift strings but two matters.
    static func groups(_ charges: [ExportCharge]) -> [MatterGroup] {
        var groups: [MatterGroup] = []
        var positions: [[UInt8]?: Int] = [:]
        for charge in charges {
            let key = charge.matterID.map { Array($0.utf8) }
            if let position = positions[key] {
                groups[position].charges.append(charge)
            } else {
                positions[key] = groups.count
                groups.append(MatterGroup(matterID: charge.matterID, matterName: charge.matterName, charges: [charge]))
            }
        }
        return groups
    }
}
