import HTTPTypes
import HummingbirdTesting
import NIOCore
import SMDRPostgres
import SMDRTestSupport
@testable import SMDRWeb
import Testing

/// Bodies are bounded before they are read, multipart only where a file is uploaded, and a
/// form's parse is linear and bounded: what a stranger (or a signed-in script) can make the
/// server read and parse.
@Suite struct RequestLimitTests {
    /// The live sessions in the database.
    static func sessions(_ harness: WebHarness) async throws -> Int {
        try await harness.store.withConnection { try $0.execute("SELECT count(*) FROM smdr.web_session")[0][0].int ?? -1 }
    }

    /// Posts `body` as is with the browser's cookies (and `headers`), for bodies `WebBrowser.post` cannot make.
    static func post(
        _ browser: WebBrowser, _ uri: String, body: String, contentType: String, headers extra: HTTPFields = [:]
    ) async throws -> HTTPResponse.Status {
        var headers = extra
        headers[.cookie] = browser.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        headers[.contentType] = contentType
        return try await browser.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body)).status
    }

    @Test func aStrangerCanPostOnlyASmallSignInFormAndNothingElse() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    _ = try await browser.get("/signin")
                    let token = try #require(browser.csrf)
                    let form = "application/x-www-form-urlencoded"
                    // Larger than the sign-in form's limit, valid otherwise: refused as too large.
                    let big = "name=admin&password=admin-password&_csrf=\(token)&pad=" + String(repeating: "x", count: SessionMiddleware.signInBodyLimit)
                    #expect(try await Self.post(browser, "/signin", body: big, contentType: form) == .contentTooLarge)
                    let small = "name=admin&password=admin-password&_csrf=\(token)"
                    // Multipart is not read for signing in.
                    #expect(try await Self.post(browser, "/signin", body: "--b--\r\n", contentType: "multipart/form-data; boundary=b") == .unsupportedMediaType)
                    // Nor any form on the other public paths.
                    #expect(try await Self.post(browser, "/assets/app.css", body: small, contentType: form) == .forbidden)
                    #expect(try await Self.sessions(harness) == 0)
                    // The same small form, as sent: signs in.
                    #expect(try await Self.post(browser, "/signin", body: small, contentType: form) == .seeOther)
                    #expect(try await Self.sessions(harness) == 1)
                }
            }
        }
    }

    @Test func aSignInAnnouncedAsLargeIsRefusedBeforeItsBodyArrives() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test(.live) { client in
                    let port = try #require(client.port)
                    // Headers announcing 64 MiB, then a few bytes, then nothing: an answer can only
                    // come from the Content-Length (reading the body would wait for ever).
                    let script = """
                        exec 3<>/dev/tcp/127.0.0.1/\(port)
                        printf 'POST /signin HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: 67108864\\r\\n\\r\\nname=admin' >&3
                        timeout 30 head -n 1 <&3
                        """
                    let result = try await TestProcess.run("/bin/bash", ["-c", script], timeout: .seconds(60))
                    #expect(result.standardOutput.hasPrefix("HTTP/1.1 413"), "\(result)")
                }
            }
        }
    }

    @Test func aSignedInFormIsBoundedInSizeFieldsAndType() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/dashboard")
                    let token = try #require(browser.csrf)
                    let form = "application/x-www-form-urlencoded"
                    // Each would sign out if it were read; each is refused and the session stays.
                    let big = "_csrf=\(token)&pad=" + String(repeating: "x", count: SessionMiddleware.formBodyLimit)
                    #expect(try await Self.post(browser, "/signout", body: big, contentType: form) == .contentTooLarge)
                    let many = "_csrf=\(token)" + String(repeating: "&a=", count: FormFields.maximumFields)
                    #expect(try await Self.post(browser, "/signout", body: many, contentType: form) == .contentTooLarge)
                    let multipart = "--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n--b--\r\n"
                    #expect(try await Self.post(browser, "/signout", body: multipart, contentType: "multipart/form-data; boundary=b") == .unsupportedMediaType)
                    #expect(try await Self.sessions(harness) == 1)
                    #expect(try await browser.get("/dashboard").status == .ok)
                    // Within the limits the same form works.
                    #expect(try await Self.post(browser, "/signout", body: "_csrf=\(token)", contentType: form) == .seeOther)
                    #expect(try await Self.sessions(harness) == 0)
                }
            }
        }
    }

    @Test func theUploadTakesMultipartUpToMaxBodyWithAnRFCBoundary() async throws {
        try await TestDatabase.withDatabase { database in
            let settings = try WebHarness.settings { $0.maxBody = "64KiB" }
            try await WebHarness.with(database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/register/import")
                    let token = try #require(browser.csrf)
                    func upload(boundary: String, padding: Int) -> String {
                        "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n"
                            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncodes\r\n"
                            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n"
                            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"pad\"\r\n\r\n\(String(repeating: "x", count: padding))\r\n"
                            + "--\(boundary)--\r\n"
                    }
                    let uri = "/register/import/preview"
                    // A good boundary and a small body reach the route (which asks for a file: 422).
                    #expect(try await Self.post(browser, uri, body: upload(boundary: "ok", padding: 10), contentType: "multipart/form-data; boundary=ok") == .unprocessableContent)
                    // Larger than SMDR_WEB_MAX_BODY.
                    #expect(try await Self.post(browser, uri, body: upload(boundary: "ok", padding: 70_000), contentType: "multipart/form-data; boundary=ok") == .contentTooLarge)
                    // Boundaries outside RFC 2046: too long, a character it does not allow, none.
                    for boundary in [String(repeating: "a", count: 71), "a@b", "ends-in-space "] {
                        let type = "multipart/form-data; boundary=\"\(boundary)\""
                        #expect(try await Self.post(browser, uri, body: upload(boundary: boundary, padding: 10), contentType: type) == .badRequest, "\(boundary)")
                    }
                    let seventy = String(repeating: "a", count: 70)
                    #expect(try await Self.post(browser, uri, body: upload(boundary: seventy, padding: 10), contentType: "multipart/form-data; boundary=\(seventy)") == .unprocessableContent)
                }
            }
        }
    }

    @Test func formsWithTooManyFieldsAreRefusedWhateverTheirType() {
        let many = Array(String(repeating: "a=1&", count: FormFields.maximumFields + 1).utf8)
        #expect(throws: FormFields.ParseError(description: "the form has more than \(FormFields.maximumFields) fields", isTooLarge: true)) {
            try FormFields.parse(contentType: "application/x-www-form-urlencoded", body: many)
        }
        let enough = Array(String(repeating: "a=1&", count: FormFields.maximumFields).utf8)
        #expect((try? FormFields.parse(contentType: nil, body: enough))?.fields.count == FormFields.maximumFields)
        let part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
        let parts = Array((String(repeating: part, count: FormFields.maximumFields + 1) + "--b--\r\n").utf8)
        #expect(throws: FormFields.ParseError.self) { try FormFields.parse(contentType: "multipart/form-data; boundary=b", body: parts) }
        #expect((try? FormFields.parse(contentType: "multipart/form-data; boundary=b", body: parts)) == nil)
    }

    @Test func theBoundaryIsRFC2046s() {
        #expect(FormFields.isValidBoundary("----WebKitFormBoundary7MA4YWxkTrZu0gW"))
        #expect(FormFields.isValidBoundary("a'()+_,-./:=? b"))
        #expect(FormFields.isValidBoundary(String(repeating: "z", count: 70)))
        #expect(!FormFields.isValidBoundary(""))
        #expect(!FormFields.isValidBoundary(String(repeating: "z", count: 71)))
        #expect(!FormFields.isValidBoundary("trailing "))
        #expect(!FormFields.isValidBoundary("semi;colon"))
        #expect(!FormFields.isValidBoundary("ünïcode"))
    }

    @Test func theByteSearchFindsEveryMatchInLinearTime() {
        func naive(_ needle: [UInt8], _ haystack: [UInt8], _ start: Int) -> Int? {
            guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
            return (start...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        let cases: [(String, String)] = [
            ("aab", "aaab"), ("abab", "abaabab"), ("a", "bbba"), ("abc", "ab"), ("aaaa", "aaa aaaa"), ("\r\n--b", "x\r\n-\r\n--b"),
            ("abcabd", "abcabcabd"), ("xyz", "xyxyxyz"),
        ]
        for (needle, haystack) in cases {
            let n = Array(needle.utf8), h = Array(haystack.utf8)
            for start in 0...h.count {
                #expect(ByteSearch(n).first(in: h, from: start) == naive(n, h, start), "\(needle) in \(haystack) from \(start)")
            }
        }
        // The worst case of a naive search (a boundary of 70 'a's in a body of 'a's, never
        // completed): one pass.
        let boundary = ByteSearch([13, 10] + Array(String(repeating: "a", count: 70).utf8))
        let body = [UInt8]([13, 10]) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(boundary.first(in: body, from: 0) == 0)
        #expect(boundary.first(in: body, from: 1) == nil)
        #expect(clock.now - started < .seconds(5))
    }
}
