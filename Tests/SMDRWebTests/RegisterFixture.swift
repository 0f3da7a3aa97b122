import Foundation
import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// The register tests' firm: the contract's register (site `demo`, timekeepers TK1 and TK2,
/// codes 4100 ACME and 4200 BETA, two numbers, plans STD and PARTNER, two rate assignments),
/// imported with the real `smdr`, and the web app over it.
enum RegisterFixture {
    /// Runs `body` with a browser signed in as `user` on the contract firm's register.
    static func with(
        _ user: String, settings: WebSettings? = nil, _ body: @escaping @Sendable (WebBrowser, RatingFirm) async throws -> Void
    ) async throws {
        try await RatingFirm.with { firm in
            let folder = Fixtures.root + "/rating/contract/"
            for kind in ["codes", "numbers", "plans", "rates"] {
                try await firm.succeed("register", "import", kind, folder + kind + ".csv")
            }
            try await WebHarness.with(firm.database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn(user)
                    try await body(browser, firm)
                }
            }
        }
    }

    /// One text column of a query on the firm's database.
    static func strings(_ firm: RatingFirm, _ sql: String, _ parameters: [PostgresValue] = []) throws -> [String] {
        let connection = try firm.connect()
        return try RatingFirm.strings(connection, sql, parameters)
    }

    /// The whole register as export writes it, to see that nothing changed.
    static func snapshot(_ firm: RatingFirm) async throws -> String {
        var text = ""
        for kind in ["codes", "numbers", "defaults", "timekeepers", "plans", "rates"] {
            text += try await firm.succeed("register", "export", kind).standardOutput
        }
        return text
    }
}

/// HTML as a test reads it back.
enum PageText {
    /// The text of `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`.
    static func unescaped(_ text: some StringProtocol) -> String {
        String(text).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The value of the first `<input … name="NAME" … value="…">` after `marker` (if given), unescaped.
    static func inputValue(_ html: String, name: String, after marker: String? = nil) -> String? {
        var rest = Substring(html)
        if let marker {
            guard let range = rest.range(of: marker) else { return nil }
            rest = rest[range.upperBound...]
        }
        guard let field = rest.range(of: "name=\"\(name)\"") else { return nil }
        let tail = rest[field.upperBound...]
        guard let tagEnd = tail.firstIndex(of: ">"), let value = tail[..<tagEnd].range(of: "value=\"") else { return nil }
        let start = value.upperBound
        guard let end = tail[start...].firstIndex(of: "\"") else { return nil }
        return Self.unescaped(tail[start..<end])
    }

    /// The element with `id` (from its start tag to the next `</TAG>`), for assertions about one table.
    static func element(_ html: String, id: String, tag: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        let rest = html[start.lowerBound...]
        guard let end = rest.range(of: "</\(tag)>") else { return nil }
        return String(rest[..<end.upperBound])
    }
}

extension WebBrowser {
    /// Posts `parts` as `multipart/form-data` (a file when it has a file name), with the last
    /// page's `_csrf` unless `csrf` is given (`.some(nil)`: none).
    func postMultipart(_ uri: String, _ parts: [(name: String, fileName: String?, content: String)], csrf: String?? = nil) async throws -> Page {
        let boundary = "----smdrTestBoundary7MA4YWxkTrZu0gW"
        var all = parts
        if let token = csrf ?? self.csrf { all.append(("_csrf", nil, token)) }
        var body = ""
        for part in all {
            body += "--\(boundary)\r\n"
            if let fileName = part.fileName {
                body += "Content-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(fileName)\"\r\nContent-Type: text/csv\r\n\r\n"
            } else {
                body += "Content-Disposition: form-data; name=\"\(part.name)\"\r\n\r\n"
            }
            body += part.content + "\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await self.send(uri, method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
