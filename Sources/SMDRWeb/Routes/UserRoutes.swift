import Hummingbird
import Logging
import HTTPTypes
import Logging
import SMDRPostgres
import SMDRReports

/// `/users` (admin only): the list, and adding a user, changing a role, disabling or enabling,
/// setting a password — through ``WebUsers``, as `smdr user` does. Billing and viewer get 403
/// from the server for every one of them, page or form.
enum UserRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/users") { request, context in
            try context.require(.admin)
            return try await Self.page(context: context, environment: environment)
        }
        router.post("/users/add") { _, context in
            try context.require(.admin)
            let name = context.form["name"] ?? ""
            let role = WebRole(rawValue: context.form["role"] ?? "")
            let draft = UserPage.Draft(name: name, role: role ?? .viewer)
            guard let role else { return try await Self.refused("Choose a role: admin, billing or viewer.", context: context, environment: environment, draft: draft) }
            guard let password = Self.password(context.form) else {
                return try await Self.refused("The two passwords differ.", context: context, environment: environment, draft: draft)
            }
            return try await Self.change(context: context, environment: environment, draft: draft, done: "Added \(name) (\(role.rawValue)).") {
                try await WebUsers.add(name: name, role: role, password: password, cost: environment.settings.bcryptCost, store: environment.store)
            }
        }
        router.post("/users/role") { _, context in
            try context.require(.admin)
            let name = context.form["name"] ?? ""
            guard let role = WebRole(rawValue: context.form["role"] ?? "") else {
                return try await Self.refused("Choose a role: admin, billing or viewer.", context: context, environment: environment)
            }
            return try await Self.change(context: context, environment: environment, done: "\(name) is now \(role.rawValue); their sessions ended.") {
                try await WebUsers.setRole(name: name, role: role, store: environment.store)
            }
        }
        router.post("/users/active") { _, context in
            try context.require(.admin)
            let name = context.form["name"] ?? ""
            let active = context.form.isYes("active")
            let done = active ? "\(name) can sign in again." : "\(name) is disabled and signed out."
            return try await Self.change(context: context, environment: environment, done: done) {
                try await WebUsers.setActive(name: name, active: active, store: environment.store)
            }
        }
        router.post("/users/password") { _, context in
            try context.require(.admin)
            let name = context.form["name"] ?? ""
            guard let password = Self.password(context.form) else {
                return try await Self.refused("The two passwords differ.", context: context, environment: environment)
            }
            return try await Self.change(context: context, environment: environment, done: "\(name) has a new password; their sessions ended.") {
                try await WebUsers.setPassword(name: name, password: password, cost: environment.settings.bcryptCost, store: environment.store)
            }
        }
    }

    /// `password`, when `password2` repeats it.
    private static func password(_ form: FormFields) -> String? {
        let password = form["password"] ?? ""
        return password == (form["password2"] ?? "") ? password : nil
    }

    /// Runs `body`; done: back to the list with `done` (post/redirect/get); refused: the list
    /// again with the reason (400), nothing changed.
    private static func change(
        context: WebRequestContext, environment: WebEnvironment, draft: UserPage.Draft = .init(), done: String, _ body: () async throws -> Void
    ) async throws -> Response {
        let session = try context.require(.admin)
        do {
            try await body()
        } catch let problem as WebUsers.Problem {
            return try await Self.refused(problem.message.prefix(1).uppercased() + problem.message.dropFirst() + ".", context: context, environment: environment, draft: draft)
        }
        environment.logger.notice("web user change", metadata: ["by": "\(session.userName)", "change": "\(done)"])
        return WebPage.redirect(to: "/users", flash: done)
    }

    private static func refused(_ problem: String, context: WebRequestContext, environment: WebEnvironment, draft: UserPage.Draft = .init()) async throws -> Response {
        try await Self.page(context: context, environment: environment, problem: problem, draft: draft, status: .badRequest)
    }

    private static func page(
        context: WebRequestContext, environment: WebEnvironment, problem: String? = nil, draft: UserPage.Draft = .init(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = try context.require(.admin)
        let users = try await WebUsers.list(store: environment.store)
        let body = UserPage.body(users: users, session: session, problem: problem, draft: draft)
        return WebPage.render(context: context, title: "Users", section: .users, status: status, body: body)
    }
}
