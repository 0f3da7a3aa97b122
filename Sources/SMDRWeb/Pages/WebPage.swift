import Hummingbird
import HTTPTypes
package import SMDRReports

/// The shell of every page of the app and the responses around it: the navigation, the
/// signed-in user with a sign-out button, a one-time message, and the security headers
/// (CSP allowing only this app's own style sheet and script, no framing, no caching).
package enum WebPage {
    /// The areas of the navigation.
    package enum Section: Sendable, CaseIterable {
        case queue, calls, register, statements, dashboard, users

        var title: StaticString {
            switch self {
            case .queue: "Review queue"
            case .calls: "Calls"
            case .register: "Register"
            case .statements: "Statements"
            case .dashboard: "Dashboard"
            case .users: "Users"
            }
        }

        var path: StaticString {
            switch self {
            case .queue: "/queue"
            case .calls: "/calls"
            case .register: "/register"
            case .statements: "/statements"
            case .dashboard: "/dashboard"
            case .users: "/users"
            }
        }
    }

    /// The Content-Security-Policy of the app's pages: nothing from elsewhere, no inline script.
    package static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// A page of the app for the request of `context`: `title` (text), `body` as it is, in the
    /// shell with the navigation of its signed-in user and the one-time message a redirect left
    /// (``WebRequestContext/flash``). Every page of the app comes through here.
    static func render(
        context: WebRequestContext, title: String, section: Section?, status: HTTPResponse.Status = .ok, body: HTML
    ) -> Response {
        Self.render(title: title, section: section, session: context.session, flash: context.flash, status: status, body: body)
    }

    /// The shell around `body` for `session` (`nil`: no navigation, as the error page shows it).
    static func render(
        title: String, section: Section?, session: WebSession?, flash: String? = nil, status: HTTPResponse.Status = .ok, body: HTML
    ) -> Response {
        var navigation = HTML()
        if let session {
            var links = HTML()
            for item in Section.allCases where item != .users || session.may(.admin) {
                links += item == section
                    ? "<a href=\"\(HTML(stringLiteral: item.path))\" aria-current=\"page\">\(HTML(stringLiteral: item.title))</a>"
                    : "<a href=\"\(HTML(stringLiteral: item.path))\">\(HTML(stringLiteral: item.title))</a>"
            }
            navigation = """
                <header class="top"><nav>\(links)</nav>
                <form class="who" method="post" action="/signout">\(Self.csrfField(session))<span>\(session.userName) (\(session.role.rawValue))</span> <button type="submit">Sign out</button></form>
                </header>

                """
        }
        let message: HTML = flash.map { "<p class=\"flash\" role=\"status\">\($0)</p>\n" } ?? HTML()
        let page: HTML = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · smdr</title>
            <link rel="stylesheet" href="/assets/app.css">
            <script src="/assets/app.js" defer></script>
            </head>
            <body>
            \(navigation)<main>
            \(message)\(body)</main>
            </body>
            </html>

            """
        return Self.response(html: page.bytes, status: status)
    }

    /// The hidden field every form of a signed-in page carries.
    package static func csrfField(_ session: WebSession) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(session.csrfToken)\">"
    }

    /// The paragraphs that say why a form or filter was refused, one per problem (none: empty).
    static func problems(_ messages: [String]) -> HTML {
        var html = HTML()
        for message in messages { html += "<p class=\"error\" role=\"alert\">\(message)</p>\n" }
        return html
    }

    /// An HTML document with the app's headers; `contentSecurityPolicy` for documents that
    /// bring their own inline style (a statement).
    static func response(
        html: [UInt8], status: HTTPResponse.Status = .ok, contentSecurityPolicy: String = WebPage.contentSecurityPolicy,
        extraHeaders: HTTPFields = [:]
    ) -> Response {
        var headers = Self.securityHeaders(contentSecurityPolicy: contentSecurityPolicy)
        headers[.contentType] = "text/html; charset=utf-8"
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: html)))
    }

    /// `303 See Other` to a path of this app (after a form, so that reload does not post again).
    static func redirect(to path: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = Self.securityHeaders(contentSecurityPolicy: Self.contentSecurityPolicy)
        headers[.location] = WebLink.localTarget(path)
        headers.append(contentsOf: extraHeaders)
        return Response(status: .seeOther, headers: headers)
    }

    /// `303 See Other` to `path`, whose page shows `flash` once (post/redirect/get after a change).
    static func redirect(to path: String, flash: String) -> Response {
        Self.redirect(to: path, extraHeaders: WebCookies.flashHeaders(flash))
    }

    /// A file to download (CSV, PDF) with the app's headers. The name is built by the app from
    /// checked IDs, yet a client ID may hold anything: `filename` gets its printable ASCII (no
    /// quote, backslash, control or format character, DEL included; other characters as `_`), and a name with
    /// other characters also goes whole, percent-encoded, in RFC 6266's `filename*=UTF-8''…`.
    static func download(_ bytes: [UInt8], contentType: String, fileName: String) -> Response {
        var headers = Self.securityHeaders(contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'")
        headers[.contentType] = contentType
        headers[.contentDisposition] = Self.contentDisposition(fileName: fileName)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// `attachment; filename="…"` (and `filename*=UTF-8''…` for a name beyond printable ASCII).
    package static func contentDisposition(fileName: String) -> String {
        // Controls (C0, DEL, C1), format characters (a right-to-left override) and line separators go.
        let scalars = fileName.unicodeScalars.filter {
            ![.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory)
        }
        var ascii = ""
        for scalar in scalars where scalar != "\"" && scalar != "\\" {
            ascii.unicodeScalars.append(scalar.isASCII ? scalar : "_")
        }
        var text = "attachment; filename=\"\(ascii)\""
        if scalars.contains(where: { !$0.isASCII }) {
            var whole = ""
            whole.unicodeScalars.append(contentsOf: scalars)
            text += "; filename*=UTF-8''" + WebLink.encoded(whole)
        }
        return text
    }

    static func securityHeaders(contentSecurityPolicy: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        return headers
    }
}
