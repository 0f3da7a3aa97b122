import ArgumentParser
import SMDRPipeline
import SMDRPostgres

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Manage sites: a PBX's name, time zone, dial plan and allowed peer addresses.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a site, or change every setting of an existing one.",
            discussion: """
                smdr serve refuses connections from addresses that no site allows. Restart \
                smdr serve after changing sites.
                """
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Site name (it names the journal directory): no '/', '\\' or control characters, not starting with '.'.")
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
            let isSafe = !self.name.isEmpty && self.name.count <= 100 && !self.name.hasPrefix(".")
                && !self.name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.properties.generalCategory == .control }
            guard isSafe else {
                throw ValidationError(
                    "site name '\(self.name)': expected at most 100 characters without '/', '\\' or control characters, not starting with '.'"
                )
            }
        }

        func run() async throws {
            let record = SiteRecord(
                name: self.name,
                timeZone: self.timeZone,
                allowedPeers: self.allow.map { $0.contains("/") ? $0 : $0 + ($0.contains(":") ? "/128" : "/32") },
                countryCode: self.countryCode,
                nationalPrefix: self.nationalPrefix,
                internationalPrefix: self.internationalPrefix,
                trunkAccessCode: self.trunkAccessCode
            )
            do {
                let saved = try await PostgresStore.withOpenStore(self.database) { store in
                    try await store.withConnection { try record.save(on: $0) }
                }
                FileDescriptorOutput.standardOutput(SiteCommand.describe([saved]))
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the sites.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let sites = try await PostgresStore.withOpenStore(self.database, existingOnly: true) { store in
                    try await store.withConnection { try SiteRecord.all(on: $0) }
                }
                if sites.isEmpty {
                    let selection = try self.database.selection()
                    FileDescriptorOutput.standardError("smdr site list: no sites yet in \(selection); add one with smdr site add\n")
                }
                FileDescriptorOutput.standardOutput(SiteCommand.describe(sites))
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
                removed = try await PostgresStore.withOpenStore(self.database) { store in
                    try await store.withConnection { try SiteRecord.remove(named: name, on: $0) }
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

    static func describe(_ sites: [SiteRecord]) -> String {
        sites.map { site in
            "\(site.name)\t\(site.timeZone)\tallow \(site.allowedPeers.isEmpty ? "-" : site.allowedPeers.joined(separator: ","))"
                + "\tcountry \(site.countryCode.isEmpty ? "-" : site.countryCode) national \(site.nationalPrefix)"
                + " international \(site.internationalPrefix) trunk \(site.trunkAccessCode.isEmpty ? "-" : site.trunkAccessCode)\n"
        }.joined()
    }
}

extension PostgresStore {
    /// Opens the store the options select (migrating the embedded cluster on first use), runs
    /// `body`, and closes it. `existingOnly`, for commands that only read: the embedded cluster
    /// is neither created, started nor migrated (``NoDatabaseError``, exit 3, when it is missing).
    static func withOpenStore<T: Sendable>(
        _ options: DatabaseOptions,
        existingOnly: Bool = false,
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let selection = try options.selection()
        let store = try await PostgresStore.open(
            selection, migrateIfNeeded: !existingOnly && selection.embeddedCluster != nil, existingOnly: existingOnly
        )
        do {
            let result = try await body(store)
            try? await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}
