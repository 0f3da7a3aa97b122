/// The signed-in user of a request.
package struct WebSession: Sendable, Hashable {
    package var userName: String
    package var role: WebRole
    /// The token every form of this session carries (`_csrf`).
    package var csrfToken: String

    package init(userName: String, role: WebRole, csrfToken: String) {
        self.userName = userName
        self.role = role
        self.csrfToken = csrfToken
    }

    /// Whether the user may do what `role` may.
    package func may(_ role: WebRole) -> Bool { self.role >= role }
}
