import SMDRPostgres
import SMDRReports

/// The markup of `/users`: every user with a form per change, and the form that adds one.
enum UserPage {
    /// What the add form shows again after a refusal (never the password).
    struct Draft {
        var name = ""
        var role = WebRole.viewer
    }

    static func body(users: [WebUserStore.User], session: WebSession, problem: String?, draft: Draft) -> HTML {
        let csrf = WebPage.csrfField(session)
        var rows = HTML()
        for user in users {
            let isActive = user.active
            let state: HTML = isActive ? "<td class=\"state active\">active</td>" : "<td class=\"state disabled\">disabled</td>"
            let toggle: HTML =
                isActive
                ? "<input type=\"hidden\" name=\"active\" value=\"false\"><button type=\"submit\" class=\"danger\">Disable</button>"
                : "<input type=\"hidden\" name=\"active\" value=\"true\"><button type=\"submit\" class=\"secondary\">Enable</button>"
            let you: HTML = user.name == session.userName ? " <span class=\"muted\">(you)</span>" : HTML()
            rows += """
                <tr data-user="\(user.name)">\
                <td>\(user.name)\(you)</td>\
                <td class="role">\(user.role)</td>\
                \(state)\
                <td>\(user.createdAt)</td>\
                <td class="num">\(user.sessions)</td>\
                <td class="changes">\
                <form class="inline user-role" method="post" action="/users/role">\(csrf)<input type="hidden" name="name" value="\(user.name)">\
                <label class="inline">Role \(Self.roleSelect(selected: WebRole(rawValue: user.role)))</label> <button type="submit" class="secondary">Set role</button></form>
                <form class="inline user-active" method="post" action="/users/active">\(csrf)<input type="hidden" name="name" value="\(user.name)">\(toggle)</form>
                <form class="inline user-password" method="post" action="/users/password">\(csrf)<input type="hidden" name="name" value="\(user.name)">\
                <label class="inline">New password <input type="password" name="password" autocomplete="new-password" minlength="\(PasswordHasher.minimumLength)" required></label> \
                <label class="inline">Again <input type="password" name="password2" autocomplete="new-password" minlength="\(PasswordHasher.minimumLength)" required></label> \
                <button type="submit" class="secondary">Set password</button></form>\
                </td></tr>

                """
        }
        return """
            <h1>Users</h1>
            \(WebPage.problems([problem].compactMap { $0 }))<p class="muted">viewer: reads every page; billing: also assigns codes and edits the register; admin: also manages users. A change of role, a new password or disabling ends the user's sessions.</p>
            <table class="users" id="users">
            <thead><tr><th>Name</th><th>Role</th><th>State</th><th>Added</th><th class="num">Sessions</th><th>Change</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <h2>Add a user</h2>
            <form id="add-user" class="add-user" method="post" action="/users/add">\(csrf)
            <label>Name <input name="name" value="\(draft.name)" required maxlength="\(WebUsers.maximumNameLength)" autocomplete="off"></label>
            <label>Role \(Self.roleSelect(selected: draft.role))</label>
            <label>Password <input type="password" name="password" autocomplete="new-password" minlength="\(PasswordHasher.minimumLength)" required></label>
            <label>Password again <input type="password" name="password2" autocomplete="new-password" minlength="\(PasswordHasher.minimumLength)" required></label>
            <button type="submit">Add user</button>
            </form>

            """
    }

    private static func roleSelect(selected: WebRole?) -> HTML {
        var options = HTML()
        for role in WebRole.allCases {
            options += role == selected
                ? "<option value=\"\(role.rawValue)\" selected>\(role.rawValue)</option>"
                : "<option value=\"\(role.rawValue)\">\(role.rawValue)</option>"
        }
        return "<select name=\"role\">\(options)</select>"
    }
}
