extension WebUserStore {
    /// Changes a user's role or whether they may sign in (as ``update(name:role:active:on:)``),
    /// unless that would leave no active admin: then nothing changes and ``Refusal`` says why.
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
}
