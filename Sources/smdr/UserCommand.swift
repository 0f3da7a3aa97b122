import ArgumentParser
import SMDRPipeline
import SMDRPostgres
import SMDRWeb

/// `smdr user`: the people who sign in to the web app, and their roles.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the web app's users: add, list, passwd, disable, enable, role.",
        discussion: """
            Roles: viewer reads every page; billing also assigns codes and edits the register; admin \
            also manages users (here or on the Users page). A password is read from the terminal \
            without echo (twice), or as one line from standard input when that is not a terminal \
            (printf '%s\\n' "$PW" | smdr user add NAME --role viewer); never from the command line. \
            At least 10 characters. A new password, a new role or disable ends the user's sessions. \
            The last active admin cannot be demoted or disabled.
            """,
        subcommands: [Add.self, List.self, Passwd.self, Disable.self, Enable.self, Role.self]
    )

    /// A role argument, or a usage error naming the three.
    static func role(_ text: String) throws -> WebRole {
        guard let role = WebRole(rawValue: text.lowercased()) else {
            throw ValidationError("'\(text)' is not a role: expected admin, billing or viewer")
        }
        return role
    }

    /// bcrypt's cost for a new password: SMDR_WEB_BCRYPT_COST (environment or SMDR_CONFIG's file), else 12.
    static func bcryptCost() async throws -> Int {
        do {
            return try WebSettings.resolve(flags: .init(), source: try await SettingsSource.load(configPath: nil)).bcryptCost
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    /// Runs a change on the selected database; a refusal (a name taken or unknown, a password too
    /// short, the last admin) is a usage error (exit 2), as ``ExitStatus`` maps ``WebUsers/Problem``.
    static func change(_ database: DatabaseOptions, _ body: @escaping (PostgresStore) async throws -> Void) async throws {
        do {
            try await PostgresStore.withOpened(try database.selection()) { store in try await body(store) }
        } catch {
            throw CommandFailure.exit(for: error)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user, who can then sign in to the web app.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Sign-in name: 1 to 64 letters, digits and . _ @ -, starting with a letter or digit.") var name: String
        @Option(help: "admin, billing or viewer.") var role: String

        func validate() throws {
            if let problem = WebUsers.problem(withName: self.name) { throw ValidationError(problem) }
            _ = try UserCommand.role(self.role)
        }

        func run() async throws {
            let role = try UserCommand.role(self.role)
            let password = try PasswordInput.read(for: self.name)
            if let problem = PasswordHasher.problem(with: password) { throw CommandFailure.exit(for: CommandFailure.usage(problem)) }
            let cost = try await UserCommand.bcryptCost()
            let name = self.name
            try await UserCommand.change(self.database) { store in
                try await WebUsers.add(name: name, role: role, password: password, cost: cost, store: store)
            }
            try FileDescriptorOutput.standardOutput("added \(name) (\(role.rawValue))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the users: name, role, active or disabled, when added, live sessions (tab-separated)."
        )
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let users = try await PostgresStore.withOpened(try self.database.selection(), access: .readOnly) { store in
                    try await WebUsers.list(store: store)
                }
                if users.isEmpty {
                    FileDescriptorOutput.standardError("smdr user list: no users yet; add the first with smdr user add NAME --role admin\n")
                }
                try FileDescriptorOutput.standardOutput(
                    users.map { "\($0.name)\t\($0.role)\t\($0.active ? "active" : "disabled")\t\($0.createdAt)\t\($0.sessions) sessions\n" }.joined()
                )
            } catch {
                throw CommandFailure.exit(for: error)
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (read as for add); their sessions end.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user.") var name: String

        func run() async throws {
            let password = try PasswordInput.read(for: self.name)
            if let problem = PasswordHasher.problem(with: password) { throw CommandFailure.exit(for: CommandFailure.usage(problem)) }
            let cost = try await UserCommand.bcryptCost()
            let name = self.name
            try await UserCommand.change(self.database) { store in
                try await WebUsers.setPassword(name: name, password: password, cost: cost, store: store)
            }
            try FileDescriptorOutput.standardOutput("\(name) has a new password; their sessions ended\n")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a user from signing in; their sessions end.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user.") var name: String

        func run() async throws {
            let name = self.name
            try await UserCommand.change(self.database) { try await WebUsers.setActive(name: name, active: false, store: $0) }
            try FileDescriptorOutput.standardOutput("\(name) is disabled\n")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled user sign in again.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user.") var name: String

        func run() async throws {
            let name = self.name
            try await UserCommand.change(self.database) { try await WebUsers.setActive(name: name, active: true, store: $0) }
            try FileDescriptorOutput.standardOutput("\(name) can sign in again\n")
        }
    }

    struct Role: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user another role; their sessions end.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The user.") var name: String
        @Argument(help: "admin, billing or viewer.") var role: String

        func validate() throws { _ = try UserCommand.role(self.role) }

        func run() async throws {
            let name = self.name
            let role = try UserCommand.role(self.role)
            try await UserCommand.change(self.database) { try await WebUsers.setRole(name: name, role: role, store: $0) }
            try FileDescriptorOutput.standardOutput("\(name) is now \(role.rawValue)\n")
        }
    }
}
