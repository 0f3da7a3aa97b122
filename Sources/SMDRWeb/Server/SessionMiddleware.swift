import HTTPTypes
import Hummingbird
import SMDRPostgres

/// Signs requests in from their cookie, and guards every change.
///
/// - A request without a live session goes to `/signin` (except the sign-in page and assets).
/// - Every request that is not `GET`/`HEAD` has its body read here (at most
///   `SMDR_WEB_MAX_BODY`), parsed as a form into the context, and refused with 403 unless its
///   `_csrf` field is the session's token (for the sign-in form: the `smdr_signin` cookie's), and
///   unless its `Origin`, when sent, is this app. Routes never see a change that failed this.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let environment: WebEnvironment

    /// Paths served without a session.
    static func isPublic(_ path: String) -> Bool {
        path == "/signin" || path.hasPrefix("/assets/") || path == "/favicon.ico"
    }

    @concurrent
    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let path = request.uri.path
        if let token = request.cookies[WebCookies.session]?.value, !token.isEmpty, token.count <= 128 {
            let idle = Int(self.environment.settings.sessionIdle.components.seconds)
            if let found = try await self.environment.store.withConnection({ try WebUserStore.session(token: token, idleSeconds: idle, on: $0) }),
                let role = WebRole(rawValue: found.role)
            {
                context.session = WebSession(userName: found.userName, role: role, csrfToken: found.csrfToken)
            }
        }
        let isChange = request.method != .get && request.method != .head
        if context.session == nil && !Self.isPublic(path) {
            if isChange {
                // A form posted after the session ended: sign in again (its content is lost, said so).
                throw HTTPError(.unauthorized, message: "Your session has ended. Sign in again, then repeat the change.")
            }
            let target = request.uri.query.map { path + "?" + $0 } ?? path
            return WebPage.redirect(to: WebLink.path(["signin"], query: [("next", target)]))
        }
        if isChange {
            if let origin = request.headers[.origin], !self.isOwnOrigin(origin, request: request) {
                throw HTTPError(.forbidden, message: "The form came from another site (\(origin)); it was refused.")
            }
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: self.environment.settings.maxBodyBytes)
            } catch {
                throw HTTPError(.contentTooLarge, message: "The upload is larger than SMDR_WEB_MAX_BODY (\(self.environment.settings.maxBodyBytes) bytes).")
            }
            do {
                context.form = try FormFields.parse(contentType: request.headers[.contentType], body: Array(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "The form could not be read: \(error).")
            }
            let expected: String? =
                if let session = context.session { session.csrfToken } else if path == "/signin" { request.cookies[WebCookies.signIn]?.value } else { nil }
            guard let expected, !expected.isEmpty, let given = context.form["_csrf"], WebSecret.equal(given, expected) else {
                throw HTTPError(.forbidden, message: "The form has expired or did not come from this app (its security token is missing or wrong). Reload the page and try again.")
            }
        }
        context.flash = WebCookies.flash(of: request)
        var response = try await next(request, context)
        // A message is shown once: clear it with the page that showed it (not on a redirect, whose
        // next page shows it), unless this response leaves a new one.
        if context.flash != nil, !(300..<400).contains(response.status.code),
            !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(WebCookies.flash + "=") })
        {
            response.headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.flash, secure: self.environment.settings.isSecure)))
        }
        return response
    }

    /// `Origin` names this app: the public URL's origin, or the request's own `Host`.
    private func isOwnOrigin(_ origin: String, request: Request) -> Bool {
        let origin = origin.lowercased()
        if let publicURL = self.environment.settings.publicURL?.lowercased() {
            let parts = publicURL.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            if parts.count >= 3, origin == parts[0] + "//" + parts[2] { return true }
        }
        guard let host = request.head.authority?.lowercased() else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }
}
