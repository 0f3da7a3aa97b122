package import SMDRPostgres

/// Managing the web app's users, the one way both `smdr user` and the Users page do it: names
/// and passwords are checked here, passwords hashed with bcrypt (``PasswordHasher``), and no
/// change may leave the app without an active admin.
package enum WebUsers {
    /// Why a change was refused: a name or password that cannot be used, a name taken or
    /// unknown, or the last active admin. Said to the person who asked; nothing was changed.
    package struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        package var message: String
        package init(_ message: String) { self.message = message }
        package var description: String { self.message }
    }

    /// The longest user name (`smdr.web_user.name`'s check).
    package static let maximumNameLength = 64

    /// Why `name` cannot be a user name: 1 to 64 letters, digits and `. _ @ -`, starting with a
    /// letter or digit (the table's check, said in words before the database refuses it).
    package static func problem(withName name: String) -> String? {
        guard !name.isEmpty else { return "the user name is empty" }
        guard name.utf8.count <= Self.maximumNameLength else { return "the user name is longer than \(Self.maximumNameLength) characters" }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        let bytes = Array(name.utf8)
        guard isAlphanumeric(bytes[0]), bytes.allSatisfy({ isAlphanumeric($0) || Array("._@-".utf8).contains($0) }) else {
            return "the user name '\(name)' has characters other than letters, digits and . _ @ - (or does not start with a letter or digit)"
        }
        return nil
    }

    /// Adds a user who can sign in at once.
    package static func add(name: String, role: WebRole, password: String, cost: Int, store: PostgresStore) async throws {
        if let problem = Self.problem(withName: name) { throw Problem(problem) }
        if let problem = PasswordHasher.problem(with: password) { throw Problem(problem) }
        let hash = try await PasswordHasher.hash(password, cost: cost)
        try await Self.refusing { try await store.withConnection { try WebUserStore.add(name: name, role: role.rawValue, passwordHash: hash, on: $0) } }
    }

    /// Sets a new password; the user's sessions end (everywhere they were signed in).
    package static func setPassword(name: String, password: String, cost: Int, store: PostgresStore) async throws {
        if let problem = PasswordHasher.problem(with: password) { throw Problem(problem) }
        let hash = try await PasswordHasher.hash(password, cost: cost)
        try await Self.refusing { try await store.withConnection { try WebUserStore.setPassword(name: name, passwordHash: hash, on: $0) } }
    }

    /// Gives a user another role; their sessions end. Refused for the last active admin.
    package static func setRole(name: String, role: WebRole, store: PostgresStore) async throws {
        try await Self.refusing {
            try await store.withConnection { try WebUserStore.updateKeepingAnAdmin(name: name, role: role.rawValue, active: nil, on: $0) }
        }
    }

    /// Lets a user sign in again, or not (their sessions end). Refused for the last active admin.
    package static func setActive(name: String, active: Bool, store: PostgresStore) async throws {
        try await Self.refusing {
            try await store.withConnection { try WebUserStore.updateKeepingAnAdmin(name: name, role: nil, active: active, on: $0) }
        }
    }

    /// Every user, by name.
    package static func list(store: PostgresStore) async throws -> [WebUserStore.User] {
        try await store.withConnection { try WebUserStore.users(on: $0) }
    }

    /// The store's refusals as ``Problem``s.
    private static func refusing(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let refusal as WebUserStore.Refusal {
            throw Problem(refusal.message)
        }
    }
}
