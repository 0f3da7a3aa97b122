import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// `/users`: only admins see it or change anything there; every change is checked against the
/// database.
@Suite struct UserTests {
    /// Everything about the users that a change could alter (not their sessions).
    static func users(_ harness: WebHarness) async throws -> [String] {
        try await harness.store.withConnection { connection in
            try connection.execute("SELECT name, role, active::text, password_hash FROM smdr.web_user ORDER BY name").map { row in
                (0..<4).map { row[$0].string ?? "" }.joined(separator: "|")
            }
        }
    }

    static func sessions(of name: String, _ harness: WebHarness) async throws -> Int {
        try await harness.store.withConnection {
            try $0.execute("SELECT count(*) FROM smdr.web_session WHERE user_name = $1", [.text(name)])[0][0].int ?? -1
        }
    }

    /// One valid form for each change, about the user `billing`.
    static let changes: [(path: String, fields: [(String, String)])] = [
        ("/users/add", [("name", "mallory"), ("role", "admin"), ("password", "mallory-password"), ("password2", "mallory-password")]),
        ("/users/role", [("name", "billing"), ("role", "admin")]),
        ("/users/active", [("name", "admin"), ("active", "false")]),
        ("/users/password", [("name", "admin"), ("password", "taken-over-1"), ("password2", "taken-over-1")]),
    ]

    @Test func anAdminAddsAUserWhoCanThenSignIn() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let admin = WebBrowser(client)
                    try await admin.signIn("admin")
                    let list = try await admin.get("/users")
                    #expect(list.status == .ok)
                    for name in WebHarness.users { #expect(list.body.contains("<tr data-user=\"\(name)\">")) }
                    #expect(list.body.contains("id=\"add-user\""))
                    let added = try await admin.post(
                        "/users/add", [("name", "carol"), ("role", "billing"), ("password", "carol-password"), ("password2", "carol-password")]
                    )
                    #expect(added.status == .seeOther)
                    #expect(added.location == "/users")
                    let after = try await admin.follow(added)
                    #expect(after.body.contains("Added carol (billing)."))
                    #expect(after.body.contains("<tr data-user=\"carol\">"))
                    let credentials = try #require(try await harness.store.withConnection { try WebUserStore.credentials(name: "carol", on: $0) })
                    #expect(credentials.role == "billing" && credentials.active)
                    #expect(try await PasswordHasher.verify("carol-password", hash: credentials.passwordHash))

                    let carol = WebBrowser(client)
                    try await carol.signIn("carol", password: "carol-password")
                    #expect(try await carol.get("/queue").status == .ok)
                    #expect(try await carol.get("/users").status == .forbidden)
                }
            }
        }
    }

    @Test func aBadAddIsRefusedAndAddsNobody() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let admin = WebBrowser(client)
                    try await admin.signIn("admin")
                    _ = try await admin.get("/users")
                    let before = try await Self.users(harness)
                    let cases: [([(String, String)], String)] = [
                        ([("name", "dave"), ("role", "billing"), ("password", "dave-password"), ("password2", "dave-passw0rd")], "The two passwords differ."),
                        ([("name", "dave"), ("role", "billing"), ("password", "short"), ("password2", "short")], "shorter than 10 characters"),
                        ([("name", "dave"), ("role", "root"), ("password", "dave-password"), ("password2", "dave-password")], "Choose a role"),
                        ([("name", "<dave>"), ("role", "viewer"), ("password", "dave-password"), ("password2", "dave-password")], "has characters other than"),
                        ([("name", "billing"), ("role", "viewer"), ("password", "dave-password"), ("password2", "dave-password")], "exists already"),
                    ]
                    for (fields, message) in cases {
                        let page = try await admin.post("/users/add", fields)
                        #expect(page.status == .badRequest, "\(fields)")
                        #expect(page.body.contains(message), "\(message): \(page.body)")
                        #expect(!page.body.contains("<dave>"))
                    }
                    #expect(try await Self.users(harness) == before)
                }
            }
        }
    }

    @Test func billingAndViewerGet403EverywhereAndChangeNothing() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    for role in ["billing", "viewer"] {
                        let browser = WebBrowser(client)
                        try await browser.signIn(role)
                        #expect(try await browser.get("/users").status == .forbidden)
                        _ = try await browser.get("/statements")  // a page with this session's token
                        let before = try await Self.users(harness)
                        for change in Self.changes {
                            let page = try await browser.post(change.path, change.fields)
                            #expect(page.status == .forbidden, "\(role) \(change.path)")
                        }
                        #expect(try await Self.users(harness) == before, "\(role)")
                        let page = try await browser.get("/statements")
                        #expect(!page.body.contains("href=\"/users\""), "\(role) sees the Users link")
                    }
                }
            }
        }
    }

    @Test func aChangeWithoutItsCSRFTokenIsRefused() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let admin = WebBrowser(client)
                    try await admin.signIn("admin")
                    _ = try await admin.get("/users")
                    let before = try await Self.users(harness)
                    for change in Self.changes {
                        let missing = try await admin.post(change.path, change.fields, csrf: .some(nil))
                        #expect(missing.status == .forbidden, "\(change.path)")
                        let wrong = try await admin.post(change.path, change.fields, csrf: .some(String(repeating: "0", count: 64)))
                        #expect(wrong.status == .forbidden, "\(change.path)")
                    }
                    #expect(try await Self.users(harness) == before)
                }
            }
        }
    }

    @Test func theLastActiveAdminCannotBeDemotedOrDisabled() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let admin = WebBrowser(client)
                    try await admin.signIn("admin")
                    _ = try await admin.get("/users")
                    let before = try await Self.users(harness)
                    let demote = try await admin.post("/users/role", [("name", "admin"), ("role", "billing")])
                    #expect(demote.status == .badRequest)
                    #expect(demote.body.contains("is the last active admin"))
                    let disable = try await admin.post("/users/active", [("name", "admin"), ("active", "false")])
                    #expect(disable.status == .badRequest)
                    #expect(disable.body.contains("is the last active admin"))
                    #expect(try await Self.users(harness) == before)
                    #expect(try await admin.get("/users").status == .ok)  // still signed in

                    // With a second admin, the first may step down (and is signed out).
                    let role = try await admin.post("/users/role", [("name", "viewer"), ("role", "admin")])
                    #expect(role.status == .seeOther)
                    _ = try await admin.get("/users")
                    let stepDown = try await admin.post("/users/role", [("name", "admin"), ("role", "billing")])
                    #expect(stepDown.status == .seeOther)
                    let roles = try await harness.store.withConnection { connection in
                        try connection.execute("SELECT name || ':' || role FROM smdr.web_user ORDER BY name").map { $0[0].string ?? "" }
                    }
                    #expect(roles == ["admin:billing", "billing:billing", "viewer:admin"])
                    #expect(try await Self.sessions(of: "admin", harness) == 0)
                    #expect(try await admin.get("/users").status == .seeOther)
                }
            }
        }
    }

    @Test func aNewPasswordEndsTheUsersSessionsAndDisablingStopsSignIn() async throws {
        try await TestDatabase.withDatabase { database in
            try await WebHarness.with(database) { harness in
                try await harness.test { client in
                    let billing = WebBrowser(client)
                    try await billing.signIn("billing")
                    #expect(try await billing.get("/queue").status == .ok)
                    #expect(try await Self.sessions(of: "billing", harness) == 1)

                    let admin = WebBrowser(client)
                    try await admin.signIn("admin")
                    _ = try await admin.get("/users")
                    let changed = try await admin.post(
                        "/users/password", [("name", "billing"), ("password", "new-billing-password"), ("password2", "new-billing-password")]
                    )
                    #expect(changed.status == .seeOther)
                    #expect(try await Self.sessions(of: "billing", harness) == 0)
                    let ended = try await billing.get("/queue")
                    #expect(ended.status == .seeOther)
                    #expect(ended.location?.hasPrefix("/signin") == true)

                    let old = WebBrowser(client)
                    _ = try await old.get("/signin")
                    #expect(try await old.post("/signin", [("name", "billing"), ("password", WebHarness.password("billing"))]).body.contains("The name or password is wrong."))
                    try await billing.signIn("billing", password: "new-billing-password")

                    _ = try await admin.get("/users")
                    #expect(try await admin.post("/users/active", [("name", "billing"), ("active", "false")]).status == .seeOther)
                    #expect(try await billing.get("/queue").status == .seeOther)
                    let refused = WebBrowser(client)
                    _ = try await refused.get("/signin")
                    #expect(try await refused.post("/signin", [("name", "billing"), ("password", "new-billing-password")]).body.contains("The name or password is wrong."))
                    _ = try await admin.get("/users")
                    #expect(try await admin.post("/users/active", [("name", "billing"), ("active", "true")]).status == .seeOther)
                    try await billing.signIn("billing", password: "new-billing-password")
                }
            }
        }
    }
}
