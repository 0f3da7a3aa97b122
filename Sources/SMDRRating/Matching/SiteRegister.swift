import SMDRCore

/// What the register holds for one site, indexed for a leg's lookups: its default codes and its
/// timekeepers (site-specific ones first, then those with no site, which match any site).
///
/// A class, so that the matcher passes one reference per call rather than copying its tables;
/// what the register holds for one extension or one user name is one entry, so a leg hashes each
/// of them at most once for its timekeeper and its default code together.
final class SiteRegister: Sendable {
    /// What the site's register holds for one extension or one user name.
    struct Entry: Sendable {
        /// The default code for it (first registered wins).
        var defaultCode: String?
        /// The timekeeper registered for it at this site.
        var timekeeper: Timekeeper?
        /// The timekeeper registered for it with no site.
        var anySiteTimekeeper: Timekeeper?

        /// The site's own timekeeper, else the one of any site.
        var anyTimekeeper: Timekeeper? { self.timekeeper ?? self.anySiteTimekeeper }
    }

    let dialPlan: DialPlan
    /// ``dialPlan`` compiled once, for normalising every leg of the site.
    let compiledDialPlan: CompiledDialPlan
    private let byExtension: [String: Entry]
    private let byUserName: [String: Entry]
    /// DDI defaults by the value as registered and by its E.164 form in the site's dial plan.
    private let ddiDefaults: [String: String]

    init(siteName: String?, dialPlan: DialPlan, defaults: [CodeDefault], timekeepers: [Timekeeper]) {
        self.dialPlan = dialPlan
        self.compiledDialPlan = CompiledDialPlan(dialPlan)
        var byExtension: [String: Entry] = [:]
        var byUserName: [String: Entry] = [:]
        var ddiDefaults: [String: String] = [:]
        for entry in defaults where entry.site == siteName {
            switch entry.kind {
            case .extension:
                if byExtension[entry.value]?.defaultCode == nil { byExtension[entry.value, default: Entry()].defaultCode = entry.code }
            case .user:
                if byUserName[entry.value]?.defaultCode == nil { byUserName[entry.value, default: Entry()].defaultCode = entry.code }
            case .ddi:
                ddiDefaults[entry.value] = ddiDefaults[entry.value] ?? entry.code
                if let e164 = self.compiledDialPlan.normalise(entry.value, direction: .inbound).e164 {
                    ddiDefaults[e164] = ddiDefaults[e164] ?? entry.code
                }
            }
        }
        // Site-specific timekeepers, then those of any site; the first registered for a key wins.
        for person in timekeepers where siteName != nil && person.site == siteName {
            if let name = person.userName, !name.isEmpty, byUserName[name]?.timekeeper == nil {
                byUserName[name, default: Entry()].timekeeper = person
            }
            if let number = person.extension, !number.isEmpty, byExtension[number]?.timekeeper == nil {
                byExtension[number, default: Entry()].timekeeper = person
            }
        }
        for person in timekeepers where person.site == nil {
            if let name = person.userName, !name.isEmpty, byUserName[name]?.anySiteTimekeeper == nil {
                byUserName[name, default: Entry()].anySiteTimekeeper = person
            }
            if let number = person.extension, !number.isEmpty, byExtension[number]?.anySiteTimekeeper == nil {
                byExtension[number, default: Entry()].anySiteTimekeeper = person
            }
        }
        self.byExtension = byExtension
        self.byUserName = byUserName
        self.ddiDefaults = ddiDefaults
    }

    /// What the register holds for a leg's internal user: by extension and by user name
    /// (empty entries when it holds nothing).
    func entries(extension: String, userName: String) -> (extension: Entry, user: Entry) {
        let byExtension = self.byExtension.isEmpty ? nil : self.byExtension[`extension`]
        let byUser = self.byUserName.isEmpty ? nil : self.byUserName[userName]
        return (byExtension ?? Entry(), byUser ?? Entry())
    }

    /// The registered timekeeper of a leg's internal user: by user name first, then extension.
    static func timekeeper(_ entries: (extension: Entry, user: Entry)) -> Timekeeper? {
        entries.user.anyTimekeeper ?? entries.extension.anyTimekeeper
    }

    /// The default code for the user's extension, else user name, else (inbound legs) the DDI:
    /// Called Number, then Dialled Number, each as written and then normalised.
    func defaultCode(
        _ entries: (extension: Entry, user: Entry), direction: Direction, calledNumber: String, dialledNumber: String
    ) -> String? {
        if let code = entries.extension.defaultCode { return code }
        if let code = entries.user.defaultCode { return code }
        guard direction == .inbound, !self.ddiDefaults.isEmpty else { return nil }
        return self.ddiDefault(calledNumber) ?? self.ddiDefault(dialledNumber)
    }

    private func ddiDefault(_ raw: String) -> String? {
        guard !raw.isEmpty else { return nil }
        if let code = self.ddiDefaults[raw] { return code }
        guard let e164 = self.compiledDialPlan.normalise(raw, direction: .inbound).e164 else { return nil }
        return self.ddiDefaults[e164]
    }
}
