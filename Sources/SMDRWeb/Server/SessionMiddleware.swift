import HTTPTypes
import Hummingbird
import NIOCore
import SMDRPostgres

/// Signs requests in from their cookie, and guards every change.
///
/// - A request without a live session goes to `/signin` (except the sign-in page and assets).
/// - Every request that is not `GET`/`HEAD` has its body read here, parsed as a form into the
///   context, and refused with 403 unless its `_csrf` field is the session's token (for the
///   sign-in form: the `smdr_signin` cookie's), and unless its `Origin`, when sent, is this app.
///   Routes never see a change that failed this.
/// - Bodies are bounded before anything is read (413 beyond): without a session only the
///   sign-in form is read at all (``signInBodyLimit``), a signed-in form gets
///   ``formBodyLimit``, and only the register import (``largeBodyPaths``) `SMDR_WEB_MAX_BODY`;
///   multipart is accepted only for its upload (``multipartPath``), so nobody else can make
///   the server parse one.
/// - `Secure` is added to every cookie of a request that came over https (the public URL is
///   https, or a trusted proxy says so): the one place that decides it.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let environment: WebEnvironment

    /// The sign-in form's body, at most: a name, a password and a token fit in far less.
    static let signInBodyLimit = 16 << 10
    /// Any other form's body, at most (the largest, a review-queue page of calls ticked, stays
    /// well under); never more than `SMDR_WEB_MAX_BODY`.
    static let formBodyLimit = 256 << 10
    /// The register CSV upload: the one route that takes multipart.
    static let multipartPath = "/register/import/preview"
    /// The routes that carry a whole register CSV (the upload, and the previewed text sent back
    /// to be applied): their body may be as large as `SMDR_WEB_MAX_BODY`.
    static let largeBodyPaths: Set<String> = [multipartPath, "/register/import/apply"]

    /// What a reverse proxy says about the client (believed only from a trusted one).
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    /// Paths served without a session.
    static func isPublic(_ path: String) -> Bool {
        path == "/signin" || path.hasPrefix("/assets/") || path == "/favicon.ico"
    }

    @concurrent
    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        let path = request.uri.path
        let settings = self.environment.settings
        context.client = ClientAddress.resolve(
            peer: context.remoteAddress, forwardedFor: request.headers[values: Self.forwardedFor],
            forwardedProto: request.headers[Self.forwardedProto], trusted: settings.trustedProxies
        )
        // The style sheet and script need no session: no lookup (and no write of last_seen_at)
        // for each of them on every page view.
        if !path.hasPrefix("/assets/"), let token = request.cookies[WebCookies.session]?.value, !token.isEmpty, token.count <= 128 {
            let idle = Int(settings.sessionIdle.components.seconds)
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
            let isSignIn = path == "/signin"
            guard context.session != nil || isSignIn else {
                // The assets take no form: nothing is read from a stranger but the sign-in form.
                throw Self.badToken
            }
            context.form = try await self.form(of: &request, path: path)
            // The sign-in form carries its own token (a session's is no use there: signing in
            // again while signed in must work).
            let expected: String? = isSignIn ? request.cookies[WebCookies.signIn]?.value : context.session?.csrfToken
            guard let expected, !expected.isEmpty, let given = context.form["_csrf"], WebSecret.equal(given, expected) else {
                throw Self.badToken
            }
        }
        context.flash = WebCookies.flash(of: request)
        var response = try await next(request, context)
        // A message is shown once: clear it with the page that showed it (not on a redirect, whose
        // next page shows it), unless this response leaves a new one.
        if context.flash != nil, !(300..<400).contains(response.status.code),
            !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(WebCookies.flash + "=") })
        {
            response.headers.append(HTTPField(name: .setCookie, value: WebCookies.clear(WebCookies.flash)))
        }
        if settings.isSecure || context.client.forwardedHTTPS { WebCookies.secured(&response.headers) }
        return response
    }

    private static let badToken = HTTPError(
        .forbidden, message: "The form has expired or did not come from this app (its security token is missing or wrong). Reload the page and try again."
    )

    /// The body of a change, read up to the limit of its route and parsed as a form.
    ///
    /// - Throws: 413 when the body (by `Content-Length`, or as read) or its number of fields is
    ///   beyond the limit, 415 for multipart anywhere but the upload, 400 for a malformed form.
    private func form(of request: inout Request, path: String) async throws -> FormFields {
        let maximum = self.environment.settings.maxBodyBytes
        let limit =
            Self.largeBodyPaths.contains(path) ? maximum : min(maximum, path == "/signin" ? Self.signInBodyLimit : Self.formBodyLimit)
        let tooLarge = HTTPError(.contentTooLarge, message: "The form is larger than this page accepts (\(limit) bytes).")
        let contentType = request.headers[.contentType]
        if FormFields.isMultipart(contentType), path != Self.multipartPath {
            throw HTTPError(.unsupportedMediaType, message: "This page takes a form, not a file upload (multipart/form-data).")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        do {
            return try FormFields.parse(contentType: contentType, body: Array(buffer: body))
        } catch {
            if error.isTooLarge { throw HTTPError(.contentTooLarge, message: "The form could not be read: \(error).") }
            throw HTTPError(.badRequest, message: "The form could not be read: \(error).")
        }
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
