import Hummingbird
package import HTTPTypes

/// The app's cookies, written by hand so that every attribute is visible here: `HttpOnly`,
/// `SameSite=Strict`, `Path=/`. `Secure` is added to every cookie of a response in one place,
/// ``SessionMiddleware``, when the request came over https (``secured(_:)``).
package enum WebCookies {
    /// The session token.
    static let session = "smdr_session"
    /// The sign-in form's double-submit token (there is no session yet to hold a CSRF token).
    static let signIn = "smdr_signin"
    /// A message for the next page after a redirect, percent-encoded.
    static let flash = "smdr_flash"

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

    /// The longest one-time message: 1,000 UTF-8 bytes (1,000 characters of plain text).
    /// Percent-encoded it is at most 3,000, well under the 4 KB a browser keeps of a cookie (a
    /// bigger one is dropped) and the header size proxies accept (nginx answers 502).
    package static let flashMaximumBytes = 1_000

    /// Headers that set a one-time message for the next page; a longer message than
    /// ``flashMaximumBytes`` is cut, ending with `…`.
    package static func flashHeaders(_ message: String) -> HTTPFields {
        var text = message
        if text.utf8.count > Self.flashMaximumBytes {
            let ellipsis = "…"
            text = ""
            for character in message {
                guard text.utf8.count + character.utf8.count + ellipsis.utf8.count <= Self.flashMaximumBytes else { break }
                text.append(character)
            }
            text += ellipsis
        }
        var headers = HTTPFields()
        headers.append(HTTPField(name: .setCookie, value: Self.set(Self.flash, WebLink.encoded(text), maxAge: 120)))
        return headers
    }

    /// The one-time message of this request, if any (the response should clear it).
    static func flash(of request: Request) -> String? {
        guard let value = request.cookies[Self.flash]?.value, !value.isEmpty else { return nil }
        return FormFields.percentDecoded(value.utf8)
    }
}
