package import Hummingbird
import HTTPTypes

/// The app's cookies, written by hand so that every attribute is visible here: `HttpOnly`,
/// `SameSite=Strict`, `Path=/`. `Secure` is added to every cookie of a response in one place,
/// ``SessionMiddleware``, when the request came over https (``secured(_:)``).
package enum WebCookies {
    /// The session token.
    package static let session = "smdr_session"
    /// The sign-in form's double-submit token (there is no session yet to hold a CSRF token).
    package static let signIn = "smdr_signin"
    /// A message for the next page after a redirect, percent-encoded.
    package static let flash = "smdr_flash"

    package static func set(_ name: String, _ value: String, maxAge: Int?) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        return text
    }

    package static func clear(_ name: String) -> String {
        Self.set(name, "", maxAge: 0)
    }

    /// `Secure` on every cookie `headers` set (a browser then sends them only over https).
    package static func secured(_ headers: inout HTTPFields) {
        let cookies = headers[values: .setCookie]
        guard !cookies.isEmpty else { return }
        headers[values: .setCookie] = cookies.map { $0.hasSuffix("; Secure") ? $0 : $0 + "; Secure" }
    }

    /// Headers that set a one-time message for the next page.
    package static func flashHeaders(_ message: String) -> HTTPFields {
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: Self.set(Self.flash, WebLink.encoded(message), maxAge: 120)))
        return headers
    }

    /// The one-time message of this request, if any (the response should clear it).
    package static func flash(of request: Request) -> String? {
        guard let value = request.cookies[Self.flash]?.value, !value.isEmpty else { return nil }
        return FormFields.urlEncoded(Array("m=\(value)".utf8))["m"]
    }
}
