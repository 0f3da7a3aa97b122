import SMDRCore

/// What the register holds for one site, indexed for a leg's lookups: its default codes and its
/// timekeepers (site-specific ones first, then those with no site, which match any site).
struct SiteRegister: Sendable {
    let dialPlan: DialPlan
    private let extensionDefaults: [String: String]
    private let userDefaults: [String: String]
    /// DDI defaults by the value as registered and by its E.164 form in the site's dial plan.
    private let ddiDefaults: [String: String]
    private let timekeeperByUser: [String: Timekeeper]
    private let timekeeperByExtension: [String: Timekeeper]
    private let anySiteTimekeeperByUser: [String: Timekeeper]
    private let anySiteTimekeeperByExtension: [String: Timekeeper]

    init(siteName: String?, dialPlan: DialPlan, defaults: [CodeDefault], timekeepers: [Timekeeper]) {
        self.dialPlan = dialPlan
        var extensionDefaults: [String: String] = [:]
        var userDefaults: [String: String] = [:]
        var ddiDefaults: [String: String] = [:]
        for entry in defaults where entry.site == siteName {
            switch entry.kind {
            case .extension: extensionDefaults[entry.value] = extensionDefaults[entry.value] ?? entry.code
            case .user: userDefaults[entry.value] = userDefaults[entry.value] ?? entry.code
            case .ddi:
                ddiDefaults[entry.value] = ddiDefaults[entry.value] ?? entry.code
                if let e164 = dialPlan.normalise(entry.value, direction: .inbound).e164 {
                    ddiDefaults[e164] = ddiDefaults[e164] ?? entry.code
                }
            }
        }
        self.extensionDefaults = extensionDefaults
        self.userDefaults = userDefaults
        self.ddiDefaults = ddiDefaults
        func index(_ people: [Timekeeper], by key: KeyPath<Timekeeper, String?>) -> [String: Timekeeper] {
            var result: [String: Timekeeper] = [:]
            for person in people { if let value = person[keyPath: key], !value.isEmpty, result[value] == nil { result[value] = person } }
            return result
        }
        let own = siteName.map { name in timekeepers.filter { $0.site == name } } ?? []
        let anySite = timekeepers.filter { $0.site == nil }
        self.timekeeperByUser = index(own, by: \.userName)
        self.timekeeperByExtension = index(own, by: \.extension)
        self.anySiteTimekeeperByUser = index(anySite, by: \.userName)
        self.anySiteTimekeeperByExtension = index(anySite, by: \.extension)
    }

    /// The registered timekeeper of a leg's internal user: by user name first, then extension.
    func timekeeper(userName: String, extension: String) -> Timekeeper? {
        self.timekeeperByUser[userName] ?? self.anySiteTimekeeperByUser[userName]
            ?? self.timekeeperByExtension[`extension`] ?? self.anySiteTimekeeperByExtension[`extension`]
    }

    /// The default code for the user's extension, else user name, else (inbound legs) the DDI:
    /// Called Number, then Dialled Number, each as written and then normalised.
    func defaultCode(extension: String, userName: String, leg: MatchLeg) -> String? {
        if let code = self.extensionDefaults[`extension`] { return code }
        if let code = self.userDefaults[userName] { return code }
        guard leg.direction == .inbound, !self.ddiDefaults.isEmpty else { return nil }
        return self.ddiDefault(leg.calledNumber) ?? self.ddiDefault(leg.dialledNumber)
    }

    private func ddiDefault(_ raw: String) -> String? {
        guard !raw.isEmpty else { return nil }
        if let code = self.ddiDefaults[raw] { return code }
        guard let e164 = self.dialPlan.normalise(raw, direction: .inbound).e164 else { return nil }
        return self.ddiDefaults[e164]
    }
}
