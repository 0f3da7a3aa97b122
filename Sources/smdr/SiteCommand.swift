import ArgumentParser
import SMDRCore
import SMDRListener
import SMDRPipeline
import SMDRPostgres

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Manage sites: a PBX's name, time zone, dial plan and allowed peer addresses.",
        subcommands: [Add.self, Change.self, Rederive.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a site. An existing site is changed with smdr site set.",
            discussion: """
                smdr serve refuses connections from addresses that no site allows. A running \
                smdr serve applies added and changed sites within SMDR_SITE_REFRESH_INTERVAL.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site name: 1 to 100 characters (spaces and accents are fine), no '/', '\\' or control characters, not starting with '.'.")
        var name: String
        @Option(help: "IANA time zone of the PBX clock, e.g. Europe/London.")
        var timeZone: String
        @Option(help: "Network the PBX connects from, as CIDR or a single address; repeatable.")
        var allow: [String] = []
        @Option(help: "Country calling code without +, e.g. 44.")
        var countryCode: String = ""
        @Option(help: "National trunk prefix.")
        var nationalPrefix: String = "0"
        @Option(help: "International prefix.")
        var internationalPrefix: String = "00"
        @Option(help: "Digits dialled for an outside line (often 9); empty if none.")
        var trunkAccessCode: String = ""

        func validate() throws {
            if let problem = SiteName.problem(with: self.name) { throw ValidationError(problem) }
            for text in self.allow {
                do { _ = try IPAddressRange.parse(text, setting: "--allow") } catch { throw ValidationError(error.description) }
            }
        }

        func run() async throws {
            let record = Site(
                name: self.name,
                timeZone: self.timeZone,
                allowedPeers: self.allow.map(SiteCommand.network),
                countryCode: self.countryCode,
                nationalPrefix: self.nationalPrefix,
                internationalPrefix: self.internationalPrefix,
                trunkAccessCode: self.trunkAccessCode
            )
            let saved: Site?
            do {
                saved = try await PostgresStore.withOpened(try self.database.selection()) { store in
                    try await store.withConnection { try record.insert(on: $0) }
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
            guard let saved else {
                FileDescriptorOutput.standardError(
                    "smdr site add: site '\(self.name)' exists; change it with smdr site set '\(self.name)' "
                        + "and only the options to change (smdr site list shows its settings)\n"
                )
                throw ExitCode(ExitStatus.usage)
            }
            try FileDescriptorOutput.standardOutput(SiteCommand.describe([saved]))
        }
    }

    struct Change: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change settings of a site: only the options given; prints each change as before -> after.",
            discussion: """
                A new --time-zone applies to lines loaded from then on (smdr serve picks it up \
                within SMDR_SITE_REFRESH_INTERVAL); legs \
                already stored keep the instants of the old zone until smdr site rederive NAME.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site name.") var name: String
        @Option(help: "IANA time zone of the PBX clock, e.g. Europe/London.")
        var timeZone: String?
        @Option(help: "Network the PBX connects from, as CIDR or a single address; repeatable. Replaces the whole list.")
        var allow: [String] = []
        @Flag(help: "Allow no network (the site is reached only through --connect).")
        var noAllow = false
        @Option(help: "Country calling code without +, e.g. 44; '' for none.")
        var countryCode: String?
        @Option(help: "National trunk prefix.")
        var nationalPrefix: String?
        @Option(help: "International prefix.")
        var internationalPrefix: String?
        @Option(help: "Digits dialled for an outside line (often 9); '' for none.")
        var trunkAccessCode: String?

        func validate() throws {
            guard self.allow.isEmpty || !self.noAllow else {
                throw ValidationError("--allow and --no-allow: give one of them, not both")
            }
            guard self.timeZone != nil || !self.allow.isEmpty || self.noAllow || self.countryCode != nil
                || self.nationalPrefix != nil || self.internationalPrefix != nil || self.trunkAccessCode != nil
            else {
                throw ValidationError("nothing to change: give at least one of --time-zone, --allow, --no-allow, "
                    + "--country-code, --national-prefix, --international-prefix, --trunk-access-code")
            }
            for text in self.allow {
                do { _ = try IPAddressRange.parse(text, setting: "--allow") } catch { throw ValidationError(error.description) }
            }
        }

        func run() async throws {
            let name = self.name
            let apply = self.edit
            let outcome: (before: Site, after: Site, legs: Int)?
            do {
                outcome = try await PostgresStore.withOpened(try self.database.selection()) { store in
                    try await store.withConnection { connection in
                        try connection.withTransaction { () throws -> (Site, Site, Int)? in
                            try connection.execute("SELECT FROM smdr.site WHERE name = $1 FOR UPDATE", [.text(name)])
                            guard let before = try Site.named(name, on: connection) else { return nil }
                            guard let after = try apply(before).update(on: connection) else { return nil }
                            let legs = before.timeZone == after.timeZone ? 0 : try Site.legCount(named: name, on: connection)
                            return (before, after, legs)
                        }
                    }
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
            guard let outcome else {
                FileDescriptorOutput.standardError("smdr site set: no site named '\(name)'; add it with smdr site add\n")
                throw ExitCode(ExitStatus.usage)
            }
            let changes = SiteCommand.changes(from: outcome.before, to: outcome.after)
            try FileDescriptorOutput.standardOutput(
                changes.isEmpty ? "\(name): no change\n" : changes.map { "\(name): \($0)\n" }.joined()
            )
            if outcome.legs > 0 {
                FileDescriptorOutput.standardError(
                    "smdr site set: warning: \(outcome.legs) stored legs of site '\(name)' keep call_start computed "
                        + "with \(outcome.before.timeZone). A running smdr serve loads new lines with "
                        + "\(outcome.after.timeZone) within its site refresh interval (5 s by default); after that, "
                        + "recompute the stored legs with: smdr site rederive '\(name)'\n"
                )
            }
        }

        /// The site with the options given applied, and only those.
        private var edit: @Sendable (Site) -> Site {
            let (timeZone, countryCode, nationalPrefix) = (self.timeZone, self.countryCode, self.nationalPrefix)
            let (internationalPrefix, trunkAccessCode) = (self.internationalPrefix, self.trunkAccessCode)
            let allow: [String]? = self.noAllow ? [] : self.allow.isEmpty ? nil : self.allow.map(SiteCommand.network)
            return { site in
                var site = site
                if let timeZone { site.timeZone = timeZone }
                if let allow { site.allowedPeers = allow }
                if let countryCode { site.countryCode = countryCode }
                if let nationalPrefix { site.nationalPrefix = nationalPrefix }
                if let internationalPrefix { site.internationalPrefix = internationalPrefix }
                if let trunkAccessCode { site.trunkAccessCode = trunkAccessCode }
                return site
            }
        }
    }

    struct Rederive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute call_start of a site's stored legs from their local time with the site's current time zone.",
            discussion: """
                Run after smdr site set NAME --time-zone. One transaction: all legs in range or none. \
                Prints the legs examined and changed.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site name.") var name: String
        @Option(help: ArgumentHelp("First local day of Call Start to recompute (default: the first).", valueName: "YYYY-MM-DD"))
        var from: String?
        @Option(help: ArgumentHelp("Last local day of Call Start to recompute, included (default: the last).", valueName: "YYYY-MM-DD"))
        var to: String?

        func validate() throws {
            for (flag, value) in [("--from", self.from), ("--to", self.to)] {
                if let value, LocalDate(iso: value) == nil {
                    throw ValidationError("\(flag) '\(value)': expected a date YYYY-MM-DD")
                }
            }
        }

        func run() async throws {
            let name = self.name
            let from = self.from.flatMap { LocalDate(iso: $0) }
            let to = self.to.flatMap { LocalDate(iso: $0) }
            let counts: LegTimeRederivation.Counts?
            let zone: String
            do {
                (counts, zone) = try await PostgresStore.withOpened(try self.database.selection()) { store in
                    try await store.withConnection { connection in
                        guard let site = try Site.named(name, on: connection) else { return (nil, "") }
                        let counts = try LegTimeRederivation(site: site, from: from, to: to).run(on: connection)
                        return (counts, site.timeZone)
                    }
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
            guard let counts else {
                FileDescriptorOutput.standardError("smdr site rederive: no site named '\(name)'\n")
                throw ExitCode(ExitStatus.usage)
            }
            try FileDescriptorOutput.standardOutput(
                "\(name): \(counts.examined) legs examined, \(counts.changed) changed (time zone \(zone))\n"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sites.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let sites = try await PostgresStore.withOpened(try self.database.selection(), access: .readOnly) { store in
                    try await store.withConnection { try Site.all(on: $0) }
                }
                if sites.isEmpty {
                    let selection = try self.database.selection()
                    FileDescriptorOutput.standardError("smdr site list: no sites yet in \(selection); add one with smdr site add\n")
                }
                try FileDescriptorOutput.standardOutput(SiteCommand.describe(sites))
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a site that has no stored records.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site name.") var name: String

        func run() async throws {
            let name = self.name
            let removed: Bool
            do {
                removed = try await PostgresStore.withOpened(try self.database.selection()) { store in
                    try await store.withConnection { try Site.remove(named: name, on: $0) }
                }
            } catch {
                throw CommandFailure.exit(for: error)
            }
            guard removed else {
                FileDescriptorOutput.standardError("smdr site remove: no site named '\(name)'\n")
                throw ExitCode(ExitStatus.usage)
            }
        }
    }

    /// A single address becomes a one-address network (`192.0.2.7` → `192.0.2.7/32`).
    static func network(_ text: String) -> String {
        text.contains("/") ? text : text + (text.contains(":") ? "/128" : "/32")
    }

    /// `time zone Europe/London -> America/New_York`, one per changed setting.
    static func changes(from before: Site, to after: Site) -> [String] {
        func show(_ value: String) -> String { value.isEmpty ? "-" : value }
        let fields: [(String, String, String)] = [
            ("time zone", before.timeZone, after.timeZone),
            ("allow", before.allowedPeers.joined(separator: ","), after.allowedPeers.joined(separator: ",")),
            ("country", before.countryCode, after.countryCode),
            ("national", before.nationalPrefix, after.nationalPrefix),
            ("international", before.internationalPrefix, after.internationalPrefix),
            ("trunk", before.trunkAccessCode, after.trunkAccessCode),
        ]
        return fields.filter { $0.1 != $0.2 }.map { "\($0.0) \(show($0.1)) -> \(show($0.2))" }
    }

    static func describe(_ sites: [Site]) -> String {
        sites.map { site in
            "\(site.name)\t\(site.timeZone)\tallow \(site.allowedPeers.isEmpty ? "-" : site.allowedPeers.joined(separator: ","))"
                + "\tcountry \(site.countryCode.isEmpty ? "-" : site.countryCode) national \(site.nationalPrefix)"
                + " international \(site.internationalPrefix) trunk \(site.trunkAccessCode.isEmpty ? "-" : site.trunkAccessCode)\n"
        }.joined()
    }
}
