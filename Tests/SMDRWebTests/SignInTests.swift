import HTTPTypes
import HummingbirdTesting
import NIOCore
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// Signing in and out, sessions and their cookies, CSRF on the sign-in form, throttling.
@Suite struct SignInTests {
    @Test func signInSetsAStrictHttpOnlyCookieAndLandsOnTheRolesHome() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    let first = try await browser.get("/queue")
                    #expect(first.status == .seeOther)
                    #expect(first.location == "/signin?next=%2Fqueue")
                    let signIn = try await browser.get("/signin")
                    #expect(signIn.status == .ok)
                    let page = try await browser.post("/signin?next=%2Fqueue", [("name", "billing"), ("password", "billing-password")])
                    #expect(page.status == .seeOther)
                    #expect(page.location == "/queue")
                    let cookie = page.headers[values: .setCookie].first { $0.hasPrefix("smdr_session=") } ?? ""
                    #expect(cookie.contains("HttpOnly"))
                    #expect(cookie.contains("SameSite=Strict"))
                    #expect(!cookie.contains("Secure"))
                    let queue = try await browser.get("/queue")
                    #expect(queue.status == .ok)
                    #expect(queue.body.contains("billing (billing)"))
                    #expect(queue.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                    let home = try await browser.get("/")
                    #expect(home.location == "/queue")
                }
            }
        }
    }

    @Test func secureCookiesWhenThePublicAddressIsHTTPS() async throws {
        try await TestDatabase.withDatabase { database in
            let settings = try WebHarness.settings { $0.publicURL = "https://smdr.example.com" }
            try await WebHarness.with(database, settings: settings) { harness in
                try await harness.test { client in
                    let page = try await WebBrowser(client).signIn("viewer")
                    let cookie = page.headers[values: .setCookie].first { $0.hasPrefix("smdr_session=") } ?? ""
                    #expect(cookie.contains("; Secure"))
                }
            }
        }
    }

    @Test func aWrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() async throws {
        try await TestDatabase.withDatabase { database in
            let settings = try WebHarness.settings { $0.signInAttempts = "3" }
            try await WebHarness.with(database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    for _ in 0..<3 {
                        _ = try await browser.get("/signin")
                        let page = try await browser.post("/signin", [("name", "admin"), ("password", "wrong")])
                        // The form again with its message: 200 (no HTTP authentication to challenge).
                        #expect(page.status == .ok)
                        #expect(page.body.contains("The name or password is wrong."))
                    }
                    _ = try await browser.get("/signin")
                    let throttled = try await browser.post("/signin", [("name", "admin"), ("password", WebHarness.password("admin"))])
                    #expect(throttled.status == .tooManyRequests)
                    #expect(throttled.headers[.retryAfter] != nil)
                    #expect(browser.cookies["smdr_session"] == nil)
                }
            }
        }
    }

    @Test func theSignInFormNeedsItsOwnToken() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    _ = try await browser.get("/signin")
                    let page = try await browser.post("/signin", [("name", "admin"), ("password", WebHarness.password("admin"))], csrf: .some(nil))
                    #expect(page.status == .forbidden)
                    #expect(browser.cookies["smdr_session"] == nil)
                }
            }
        }
    }

    @Test func signOutEndsTheSessionInTheDatabase() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("admin")
                    let token = try #require(browser.cookies["smdr_session"])
                    _ = try await browser.get("/dashboard")
                    let out = try await browser.post("/signout", [])
                    #expect(out.status == .seeOther)
                    // The old cookie no longer signs anyone in.
                    browser.setCookie("smdr_session", token)
                    let after = try await browser.get("/dashboard")
                    #expect(after.status == .seeOther)
                    #expect(after.location?.hasPrefix("/signin") == true)
                }
            }
        }
    }

    @Test func anExpiredSessionIsRefused() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    #expect(try await browser.get("/queue").status == .ok)
                    let csrf = browser.csrf
                    try await harness.store.withConnection { connection in
                        try connection.execute("UPDATE smdr.web_session SET idle_expires_at = now() - interval '1 second'")
                    }
                    let page = try await browser.get("/queue")
                    #expect(page.status == .seeOther)
                    #expect(page.location?.hasPrefix("/signin") == true)
                    let change = try await browser.post("/signout", [], csrf: csrf)
                    #expect(change.status == .unauthorized)
                    #expect(change.location == nil)
                    #expect(change.body.contains("Your session has ended."))
                }
            }
        }
    }

    // MARK: review fixes

    @Test(arguments: [
        "//evil.example", "/\\evil.example", "/\t/evil.example", "/\r\n/evil.example", "/\n/evil.example", "http://evil.example",
        "javascript:alert(1)", "", "queue", "/ /evil.example", "/\u{7F}x", "/é",
    ])
    func aNextTargetThatCouldLeaveTheAppIsHome(target: String) {
        #expect(WebLink.localTarget(target) == "/")
    }

    @Test func nextTargetsOfTheAppStayAndPercentEncodedTricksAreDecodedFirst() {
        #expect(WebLink.localTarget("/queue?page=2&code=4100") == "/queue?page=2&code=4100")
        #expect(WebLink.localTarget("/calls?q=%3Cscript%3E") == "/calls?q=%3Cscript%3E")
        #expect(WebLink.localTarget(nil) == "/")
        for query in ["next=%2F%09%2Fevil.example", "next=%2F%2Fevil.example", "next=%2F%5Cevil.example", "next=%2F%0D%0A%2Fevil.example"] {
            #expect(WebLink.localTarget(FormFields.urlEncoded(Array(query.utf8))["next"]) == "/", "\(query)")
        }
    }

    @Test func aTabInNextDoesNotLeadOffSite() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    let form = try await browser.get("/signin?next=%2F%09%2Fevil.example")
                    #expect(form.body.contains("action=\"/signin?next=%2F\""))
                    let page = try await browser.post("/signin?next=%2F%09%2Fevil.example", [("name", "billing"), ("password", "billing-password")])
                    #expect(page.location == "/")
                }
            }
        }
    }

    @Test func parallelWrongSignInsGetNoMoreTriesThanAllowed() async throws {
        try await TestDatabase.withDatabase { database in
            let settings = try WebHarness.settings { $0.signInAttempts = "3" }
            try await WebHarness.with(database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    _ = try await browser.get("/signin")
                    let token = try #require(browser.csrf)
                    let cookie = try "smdr_signin=" + #require(browser.cookies["smdr_signin"])
                    let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                        for _ in 0..<10 {
                            group.addTask {
                                try await client.execute(
                                    uri: "/signin", method: .post,
                                    headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                    body: ByteBuffer(string: "name=admin&password=wrong-password&_csrf=\(token)")
                                ).status
                            }
                        }
                        return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                    }
                    #expect(statuses.filter { $0 == .ok }.count == 3, "\(statuses)")
                    #expect(statuses.filter { $0 == .tooManyRequests }.count == 7, "\(statuses)")
                    // The right password too, now.
                    let right = try await browser.post("/signin", [("name", "admin"), ("password", WebHarness.password("admin"))])
                    #expect(right.status == .tooManyRequests)
                    let sessions = try await harness.store.withConnection { try $0.execute("SELECT count(*) FROM smdr.web_session")[0][0].int }
                    #expect(sessions == 0)
                }
            }
        }
    }

    /// `.allowed`'s attempt, or `nil`.
    static func allowed(_ admission: SignInThrottle.Admission) -> SignInThrottle.Attempt? {
        if case .allowed(let attempt) = admission { return attempt }
        return nil
    }

    @Test func theThrottleCountsAnAttemptBeforeItsCheckAndWithdrawsASuccess() async throws {
        let throttle = SignInThrottle(attempts: 2, window: .seconds(60))
        let first = try #require(Self.allowed(await throttle.begin(["address:a", "name:x"])))
        let second = try #require(Self.allowed(await throttle.begin(["address:a", "name:y"])))
        // Two under way: a third from the address waits, though neither has failed yet.
        guard case .throttled(let wait) = await throttle.begin(["address:a", "name:z"]) else { Issue.record("not throttled"); return }
        #expect(wait > .seconds(59) && wait <= .seconds(60))
        #expect(Self.allowed(await throttle.begin(["address:b", "name:z"])) != nil)
        // The first succeeds: its count is withdrawn and the address may try once more.
        await throttle.end(first, failed: false, resetting: ["name:x"])
        let third = try #require(Self.allowed(await throttle.begin(["address:a", "name:z"])))
        await throttle.end(second, failed: true)
        await throttle.end(third, failed: true)
        guard case .throttled = await throttle.begin(["address:a"]) else { Issue.record("not throttled"); return }
    }

    @Test func theThrottleChecksAFewPasswordsAtOnce() async throws {
        let throttle = SignInThrottle(attempts: 100, window: .seconds(60))
        var running: [SignInThrottle.Attempt] = []
        for index in 0..<SignInThrottle.concurrentChecks {
            running.append(try #require(Self.allowed(await throttle.begin(["address:\(index)"]))))
        }
        guard case .busy = await throttle.begin(["address:other"]) else { Issue.record("not busy"); return }
        await throttle.end(running.removeLast(), failed: true)
        #expect(Self.allowed(await throttle.begin(["address:other"])) != nil)
    }

    @Test func aNameLongerThanAnyUsersIsRefusedLikeAWrongPassword() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    _ = try await browser.get("/signin")
                    let page = try await browser.post("/signin", [("name", String(repeating: "a", count: WebUsers.maximumNameLength + 1)), ("password", "whatever-it-is")])
                    #expect(page.status == .ok)
                    #expect(page.body.contains("The name or password is wrong."))
                    #expect(browser.cookies["smdr_session"] == nil)
                }
            }
        }
    }

    @Test func theDummyHashIsMadeOnceAtTheConfiguredCost() async throws {
        let dummy = DummyPasswordHash(cost: 10)
        let hash = try await dummy.value()
        #expect(hash.hasPrefix("$2") && hash.contains("$10$"))
        #expect(try await dummy.value() == hash)
        #expect(try await !PasswordHasher.verify("anything", hash: nil, dummy: dummy))
    }

    @Test func signedInTheSignInPageGoesHomeAndItsFormSwitchesUser() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    let again = try await browser.get("/signin")
                    #expect(again.status == .seeOther)
                    #expect(again.location == "/")
                    // A sign-in form opened before (its cookie and token), sent while signed in:
                    // checked against its own token, not the session's; the old session ends.
                    browser.setCookie("smdr_signin", "earlier-sign-in-form-token")
                    let page = try await browser.post(
                        "/signin", [("name", "viewer"), ("password", WebHarness.password("viewer"))], csrf: "earlier-sign-in-form-token"
                    )
                    #expect(page.status == .seeOther)
                    let users = try await harness.store.withConnection { connection in
                        try connection.execute("SELECT user_name FROM smdr.web_session ORDER BY user_name").compactMap { $0[0].string }
                    }
                    #expect(users == ["viewer"])
                    #expect(try await browser.get("/dashboard").body.contains("viewer (viewer)"))
                }
            }
        }
    }

    @Test func behindATrustedProxyTheForwardedClientIsThrottledAndHTTPSIsSecure() async throws {
        try await TestDatabase.withDatabase { database in
            let settings = try WebHarness.settings {
                $0.signInAttempts = "2"
                $0.trustedProxy = "127.0.0.1"
            }
            try await WebHarness.with(database, settings: settings) { harness in
                // A real socket: the peer is 127.0.0.1, the trusted proxy. (No bcrypt here: the
                // live client gives up after 20 s, which a busy test run's queue of hashes can take.)
                try await harness.test(.live) { client in
                    func send(_ method: HTTPRequest.Method, from address: String, proto: String = "http", body: String? = nil) async throws -> (HTTPResponse.Status, HTTPFields) {
                        var headers: HTTPFields = [
                            HTTPField.Name("X-Forwarded-For")!: "6.6.6.6, " + address, HTTPField.Name("X-Forwarded-Proto")!: proto,
                        ]
                        if let body {
                            headers[.contentType] = "application/x-www-form-urlencoded"
                            headers[.cookie] = "smdr_signin=proxy-test-token"
                            let response = try await client.execute(uri: "/signin", method: method, headers: headers, body: ByteBuffer(string: body))
                            return (response.status, response.headers)
                        }
                        let response = try await client.execute(uri: "/signin", method: method, headers: headers)
                        return (response.status, response.headers)
                    }
                    // A name no user can have is refused at once, but counts for its client's address.
                    let failure = "name=\(String(repeating: "x", count: WebUsers.maximumNameLength + 1))&password=wrong-password&_csrf=proxy-test-token"
                    // Two failures from one client behind the proxy: its third waits...
                    #expect(try await send(.post, from: "203.0.113.1", body: failure).0 == .ok)
                    #expect(try await send(.post, from: "203.0.113.1", body: failure).0 == .ok)
                    #expect(try await send(.post, from: "203.0.113.1", body: failure).0 == .tooManyRequests)
                    // ...while another client behind the same proxy is not held up by it.
                    #expect(try await send(.post, from: "203.0.113.2", body: failure).0 == .ok)
                    // The proxy says https: cookies are Secure; http: they are not.
                    let (_, https) = try await send(.get, from: "203.0.113.3", proto: "https")
                    #expect(https[values: .setCookie].contains { $0.hasPrefix("smdr_signin=") && $0.hasSuffix("; Secure") })
                    let (_, http) = try await send(.get, from: "203.0.113.3")
                    #expect(http[values: .setCookie].contains { $0.hasPrefix("smdr_signin=") && !$0.contains("Secure") })
                }
            }
        }
    }
}
