/// The web app's users and sessions (`smdr.web_user`, `smdr.web_session`).
///
/// Passwords arrive here already hashed (bcrypt, by the caller); session tokens arrive in the
/// clear and only their SHA-256 is stored or compared, computed by PostgreSQL.
package enum WebUserStore {
    /// A user as listed (never with the hash).
    package struct User: Hashable, Sendable {
        package var name: String
        package var role: String
        package var active: Bool
        package var createdAt: String
        package var sessions: Int
    }

    /// What signing in needs to know about a name.
    package struct Credentials: Hashable, Sendable {
        package var role: String
        package var passwordHash: String
        package var active: Bool
    }

    /// A live session: who, and the token its forms carry.
    package struct Session: Hashable, Sendable {
        package var userName: String
        package var role: String
        package var csrfToken: String
    }

    /// Why a user change was refused (a name taken or unknown).
    package struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        package var message: String
        package var description: String { self.message }
    }

    // MARK: users

    /// Adds a user; refuses a name that is taken.
    package static func add(name: String, role: String, passwordHash: String, on connection: PostgresConnection) throws {
        do {
            try connection.execute(
                "INSERT INTO smdr.web_user (name, role, password_hash) VALUES ($1, $2, $3)", [.text(name), .text(role), .text(passwordHash)]
            )
        } catch let error as PostgresError where error.sqlState?.rawValue == "23505" {
            throw Refusal(message: "a user named \"\(name)\" exists already")
        }
    }

    /// Sets a user's password (and ends their sessions).
    package static func setPassword(name: String, passwordHash: String, on connection: PostgresConnection) throws {
        try connection.withTransaction {
            let rows = try connection.execute(
                "UPDATE smdr.web_user SET password_hash = $2, password_changed_at = now() WHERE name = $1 RETURNING name",
                [.text(name), .text(passwordHash)]
            )
            guard rows.count == 1 else { throw Refusal(message: "no user named \"\(name)\"") }
            try connection.execute("DELETE FROM smdr.web_session WHERE user_name = $1", [.text(name)])
        }
    }

    /// Changes a user's role or whether they may sign in (signing them out everywhere), unless
    /// that would leave no active admin: then nothing changes and ``Refusal`` says why. The one
    /// way to change either: nobody can lock every admin out by accident.
    ///
    /// The active admins are locked (`FOR UPDATE`) before they are counted, so two admins who
    /// demote each other at the same moment cannot both succeed.
    package static func updateKeepingAnAdmin(name: String, role: String?, active: Bool?, on connection: PostgresConnection) throws {
        try connection.withTransaction {
            let admins = try connection.execute(
                "SELECT name FROM smdr.web_user WHERE role = 'admin' AND active ORDER BY name FOR UPDATE"
            ).compactMap { $0[0].string }
            let staysAdmin = (role ?? "admin") == "admin" && active != false
            if admins == [name], !staysAdmin {
                throw Refusal(
                    message: "\"\(name)\" is the last active admin: make another user admin first, or nobody could manage users"
                )
            }
            try Self.update(name: name, role: role, active: active, on: connection)
        }
    }

    /// Changes a user's role or whether they may sign in, without the last-admin guard (only
    /// ``updateKeepingAnAdmin(name:role:active:on:)`` calls it); a user who is deactivated or
    /// changes role is signed out everywhere.
    private static func update(name: String, role: String?, active: Bool?, on connection: PostgresConnection) throws {
        try connection.withTransaction {
            let rows = try connection.execute(
                "UPDATE smdr.web_user SET role = coalesce($2, role), active = coalesce($3::boolean, active) WHERE name = $1 RETURNING name",
                [.text(name), .string(role), .bool(active)]
            )
            guard rows.count == 1 else { throw Refusal(message: "no user named \"\(name)\"") }
            try connection.execute("DELETE FROM smdr.web_session WHERE user_name = $1", [.text(name)])
        }
    }

    /// Every user, by name.
    package static func users(on connection: PostgresConnection) throws -> [User] {
        try connection.execute(
            """
            SELECT u.name, u.role, u.active, to_char(u.created_at, 'YYYY-MM-DD HH24:MI'),
                   (SELECT count(*) FROM smdr.web_session AS s WHERE s.user_name = u.name AND s.expires_at > now() AND s.idle_expires_at > now())
            FROM smdr.web_user AS u ORDER BY u.name COLLATE "C"
            """
        ).map {
            User(name: $0[0].string ?? "", role: $0[1].string ?? "", active: $0[2].bool ?? false, createdAt: $0[3].string ?? "", sessions: $0[4].int ?? 0)
        }
    }

    /// The hash and role of `name`, `nil` when there is no such user.
    package static func credentials(name: String, on connection: PostgresConnection) throws -> Credentials? {
        let rows = try connection.execute("SELECT role, password_hash, active FROM smdr.web_user WHERE name = $1", [.text(name)])
        guard rows.count == 1 else { return nil }
        return Credentials(role: rows[0][0].string ?? "", passwordHash: rows[0][1].string ?? "", active: rows[0][2].bool ?? false)
    }

    // MARK: sessions

    /// Starts a session for `userName` with the cookie's `token` and the forms' `csrfToken`.
    package static func startSession(
        token: String, csrfToken: String, userName: String, idleSeconds: Int, lifetimeSeconds: Int, remoteAddress: String,
        on connection: PostgresConnection
    ) throws {
        try connection.execute(
            """
            INSERT INTO smdr.web_session (token_hash, user_name, csrf_token, idle_expires_at, expires_at, remote_address)
            VALUES (sha256(convert_to($1, 'UTF8')), $2, $3, now() + make_interval(secs => $4), now() + make_interval(secs => $5), $6)
            """,
            [.text(token), .text(userName), .text(csrfToken), .int(idleSeconds), .int(lifetimeSeconds), .text(remoteAddress)]
        )
    }

    /// The live session of `token`, its idle time restarted; `nil` when there is none, it
    /// expired, or its user was deactivated.
    package static func session(token: String, idleSeconds: Int, on connection: PostgresConnection) throws -> Session? {
        let rows = try connection.execute(
            """
            UPDATE smdr.web_session AS s
            SET last_seen_at = now(), idle_expires_at = least(now() + make_interval(secs => $2), s.expires_at)
            FROM smdr.web_user AS u
            WHERE s.token_hash = sha256(convert_to($1, 'UTF8')) AND u.name = s.user_name AND u.active
              AND s.expires_at > now() AND s.idle_expires_at > now()
            RETURNING u.name, u.role, s.csrf_token
            """,
            [.text(token), .int(idleSeconds)]
        )
        guard rows.count == 1 else { return nil }
        return Session(userName: rows[0][0].string ?? "", role: rows[0][1].string ?? "", csrfToken: rows[0][2].string ?? "")
    }

    /// Ends the session of `token` (sign-out).
    package static func endSession(token: String, on connection: PostgresConnection) throws {
        try connection.execute("DELETE FROM smdr.web_session WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [.text(token)])
    }

    /// Deletes sessions that have ended; returns how many.
    @discardableResult
    package static func pruneSessions(on connection: PostgresConnection) throws -> Int {
        try connection.execute(
            "WITH gone AS (DELETE FROM smdr.web_session WHERE expires_at <= now() OR idle_expires_at <= now() RETURNING 1) SELECT count(*) FROM gone"
        )[0][0].int ?? 0
    }
}
