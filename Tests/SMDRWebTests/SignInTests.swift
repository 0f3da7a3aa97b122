import HTTPTypes
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
                        #expect(page.status == .unauthorized)
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
                }
            }
        }
    }
}
