import Hummingbird
import HTTPTypes
import SMDRPostgres
import Logging
import SMDRReports

/// `/signin` and `/signout`, and `/` (each role's home).
enum SignInRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/") { _, context in
            guard let session = context.session else { return WebPage.redirect(to: "/signin") }
            return WebPage.redirect(to: session.may(.billing) ? "/queue" : "/dashboard")
        }
        router.get("/signin") { request, context in
            Self.form(request: request, context: context, environment: environment, problem: nil, name: "")
        }
        router.post("/signin") { request, context in
            try await Self.signIn(request: request, context: context, environment: environment)
        }
        router.post("/signout") { request, context in
            let secure = environment.settings.isSecure
            if let token = request.cookies[WebCookies.session]?.value {
                try await environment.store.withConnection { try WebUserStore.endSession(token: token, on: $0) }
            }
            var headers = HTTPFields()
            headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.session, secure: secure)))
            return WebPage.redirect(to: "/signin", extraHeaders: headers)
        }
    }

    /// The sign-in page, with a fresh double-submit token in a cookie and in the form.
    private static func form(
        request: Request, context: WebRequestContext, environment: WebEnvironment, problem: String?, name: String, status: HTTPResponse.Status = .ok
    ) -> Response {
        let token = WebSecret.token()
        let next = WebLink.localTarget(request.queryFields["next"])
        let body: HTML = """
            <section class="signin">
            <h1>Sign in to smdr</h1>
            \(WebPage.problems([problem].compactMap { $0 }))<form method="post" action="\(WebLink.path(["signin"], query: [("next", next)]))">
            <input type="hidden" name="_csrf" value="\(token)">
            <label>Name <input name="name" autocomplete="username" required value="\(name)" autofocus></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            </section>

            """
        var response = WebPage.render(context: context, title: "Sign in", section: nil, status: status, body: body)
        response.headers.append(HTTPField(name: .setCookie, value: WebCookies.set(WebCookies.signIn, token, maxAge: 3_600, secure: environment.settings.isSecure)))
        return response
    }

    private static func signIn(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let name = context.form["name"] ?? ""
        let password = context.form["password"] ?? ""
        let keys = ["address:" + context.remoteHost, "name:" + name.lowercased()]
        if let wait = await environment.throttle.retryAfter(keys) {
            let seconds = max(1, Int(wait.components.seconds) + 1)
            var response = Self.form(
                request: request, context: context, environment: environment,
                problem: "Too many failed sign-ins. Try again in \(seconds / 60 + (seconds % 60 == 0 ? 0 : 1)) minute(s).", name: name,
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        let credentials = try await environment.store.withConnection { try WebUserStore.credentials(name: name, on: $0) }
        let matches = try await PasswordHasher.verify(password, hash: credentials?.passwordHash)
        guard matches, let credentials, credentials.active, WebRole(rawValue: credentials.role) != nil else {
            await environment.throttle.recordFailure(keys)
            environment.logger.notice("web sign-in refused", metadata: ["name": "\(name)", "address": "\(context.remoteHost)"])
            return Self.form(request: request, context: context, environment: environment, problem: "The name or password is wrong.", name: name, status: .unauthorized)
        }
        await environment.throttle.reset(keys[1])
        let token = WebSecret.token()
        let settings = environment.settings
        let idle = Int(settings.sessionIdle.components.seconds)
        let lifetime = Int(settings.sessionLifetime.components.seconds)
        let address = context.remoteHost
        try await environment.store.withConnection { connection in
            try WebUserStore.pruneSessions(on: connection)
            try WebUserStore.startSession(
                token: token, csrfToken: WebSecret.token(), userName: name, idleSeconds: idle, lifetimeSeconds: lifetime,
                remoteAddress: address, on: connection
            )
        }
        environment.logger.info("web sign-in", metadata: ["name": "\(name)", "address": "\(address)"])
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: WebCookies.set(WebCookies.session, token, maxAge: lifetime, secure: settings.isSecure)))
        headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.signIn, secure: settings.isSecure)))
        let next = WebLink.localTarget(request.queryFields["next"])
        return WebPage.redirect(to: next, extraHeaders: headers)
    }
}
