package import Hummingbird
package import NIOCore

/// The context of one request: who is signed in (set by ``SessionMiddleware``) and, for a
/// `POST`, its form, read and checked for the session's CSRF token before any route sees it.
package struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The signed-in user; `nil` before sign-in.
    package var session: WebSession?
    /// The fields of a `POST` (URL-encoded or multipart); empty for other methods.
    package var form = FormFields()
    /// The one-time message a redirect left (``WebCookies/flash``); the middleware clears its
    /// cookie once a page has been shown.
    package var flash: String?
    package let remoteAddress: SocketAddress?
    /// Who sent the request: the connection's address, or behind a trusted reverse proxy the
    /// one it forwarded for (set by ``SessionMiddleware``); for the throttle and the session's record.
    package var client: ClientAddress

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.client = ClientAddress.resolve(peer: self.remoteAddress, forwardedFor: [], forwardedProto: nil, trusted: [])
    }

    /// The signed-in user, who must be allowed what `role` may do.
    ///
    /// - Throws: `HTTPError(.forbidden)` when their role is below `role`; `.unauthorized`
    ///   when nobody is signed in (the middleware has redirected such requests already).
    @discardableResult
    package func require(_ role: WebRole) throws -> WebSession {
        guard let session = self.session else { throw HTTPError(.unauthorized) }
        guard session.may(role) else {
            throw HTTPError(.forbidden, message: "Your role (\(session.role.rawValue)) cannot do this; it needs \(role.rawValue).")
        }
        return session
    }
}
