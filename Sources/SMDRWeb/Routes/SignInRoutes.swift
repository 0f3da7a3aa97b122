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
            // Signed in already: the form has nothing to do (its POST still works, to switch user).
            if context.session != nil { return WebPage.redirect(to: "/") }
            return Self.form(request: request, context: context, environment: environment, problem: nil, name: "")
        }
        router.post("/signin") { request, context in
            try await Self.signIn(request: request, context: context, environment: environment)
        }
        router.post("/signout") { request, context in
            if let token = request.cookies[WebCookies.session]?.value {
                try await environment.store.withConnection { try WebUserStore.endSession(token: token, on: $0) }
            }
            var headers = HTTPFields()
            headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.session)))
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
        response.headers.append(HTTPField(name: .setCookie, value: WebCookies.set(WebCookies.signIn, token, maxAge: 3_600)))
        return response
    }

    /// `POST /signin`: a session for a right name and password; else the form again, with 200
    /// (there is no HTTP authentication to challenge, so not 401) and the same message whether
    /// the name exists or not.
    ///
    /// The throttle counts the attempt before bcrypt runs (``SignInThrottle/begin(_:)``) under the
    /// client's address (an IPv6 /64) and the name; a name longer than any user's is refused at
    /// once under the address alone, so the throttle's keys stay short.
    private static func signIn(request: Request, context: WebRequestContext, environment: WebEnvironment) async throws -> Response {
        let name = context.form["name"] ?? ""
        let password = context.form["password"] ?? ""
        let address = context.client.host
        let isPossibleName = name.utf8.count <= WebUsers.maximumNameLength
        let nameKey = "name:" + name.lowercased()
        let keys = ["address:" + context.client.throttleKey] + (isPossibleName ? [nameKey] : [])
        let attempt: SignInThrottle.Attempt
        switch await environment.throttle.begin(keys) {
        case .allowed(let allowed):
            attempt = allowed
        case .throttled(let wait):
            let seconds = max(1, Int(wait.components.seconds) + 1)
            var response = Self.form(
                request: request, context: context, environment: environment,
                problem: "Too many failed sign-ins. Try again in \(seconds / 60 + (seconds % 60 == 0 ? 0 : 1)) minute(s).", name: name,
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(seconds)
            return response
        case .busy:
            var response = Self.form(
                request: request, context: context, environment: environment, problem: "Many sign-ins are being checked right now. Try again in a moment.",
                name: name, status: .serviceUnavailable
            )
            response.headers[.retryAfter] = "1"
            return response
        }
        let matches: Bool
        do {
            matches = try await Self.check(name: name, password: password, isPossibleName: isPossibleName, environment: environment)
        } catch {
            // The database or the pool failed: nothing was judged, so nothing is counted.
            await environment.throttle.end(attempt, failed: false)
            throw error
        }
        guard matches else {
            await environment.throttle.end(attempt, failed: true)
            environment.logger.notice(
                "web sign-in refused", metadata: ["smdr.web.name": "\(name.prefix(WebUsers.maximumNameLength))", "smdr.web.address": "\(address)"]
            )
            return Self.form(request: request, context: context, environment: environment, problem: "The name or password is wrong.", name: name)
        }
        await environment.throttle.end(attempt, failed: false, resetting: [nameKey])
        let token = WebSecret.token()
        let settings = environment.settings
        let idle = Int(settings.sessionIdle.components.seconds)
        let lifetime = Int(settings.sessionLifetime.components.seconds)
        let previous = request.cookies[WebCookies.session]?.value
        try await environment.store.withConnection { connection in
            // Signing in again (as someone else, say) ends the session the browser had.
            if let previous, !previous.isEmpty { try WebUserStore.endSession(token: previous, on: connection) }
            try WebUserStore.pruneSessions(on: connection)
            try WebUserStore.startSession(
                token: token, csrfToken: WebSecret.token(), userName: name, idleSeconds: idle, lifetimeSeconds: lifetime,
                remoteAddress: address, on: connection
            )
        }
        environment.logger.info("web sign-in", metadata: ["smdr.web.user": "\(name)", "smdr.web.address": "\(address)"])
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: WebCookies.set(WebCookies.session, token, maxAge: lifetime)))
        headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.signIn)))
        let next = WebLink.localTarget(request.queryFields["next"])
        return WebPage.redirect(to: next, extraHeaders: headers)
    }

    /// Whether `name` and `password` sign in (not: a wrong password, an unknown or disabled
    /// name, an unknown role). bcrypt runs for every name that could be a user's, known or not,
    /// so the time taken tells nothing.
    private static func check(name: String, password: String, isPossibleName: Bool, environment: WebEnvironment) async throws -> Bool {
        guard isPossibleName else { return false }
        let credentials = try await environment.store.withConnection { try WebUserStore.credentials(name: name, on: $0) }
        let matches = try await PasswordHasher.verify(password, hash: credentials?.passwordHash, dummy: environment.dummyHash)
        guard matches, let credentials else { return false }
        return credentials.active && WebRole(rawValue: credentials.role) != nil
    }
}
