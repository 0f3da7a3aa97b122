import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// The web app on a real database, driven through Hummingbird's test client: each test gets a
/// fresh database (a ``RatingFirm`` when it needs calls and charges), the app's router over it,
/// and users of each role, whose password is their name + `-password`.
struct WebHarness {
    let store: PostgresStore
    let environment: WebEnvironment

    /// Settings for tests: bcrypt at its cheapest allowed cost, the rest as the defaults.
    static func settings(_ change: (inout WebSettings.Flags) -> Void = { _ in }) throws -> WebSettings {
        var flags = WebSettings.Flags()
        flags.bcryptCost = "10"
        change(&flags)
        return try WebSettings.resolve(flags: flags, source: SettingsSource(environment: [:]))
    }

    /// Users `admin`, `billing` and `viewer`, each with its role.
    static let users = ["admin", "billing", "viewer"]
    static func password(_ user: String) -> String { user + "-password" }

    /// The app's today unless a test gives its own: a day of ``QueueFixture``'s month (October
    /// 2026), so pages that show "this month" by default do not depend on the day tests run.
    static let today = LocalDate(year: 2026, month: 10, day: 15)

    /// The app over `database`, with the three users added; its today is `today`.
    static func with(
        _ database: TestDatabase, settings: WebSettings? = nil, today: LocalDate = WebHarness.today,
        _ body: (WebHarness) async throws -> Void
    ) async throws {
        let settings = try settings ?? Self.settings()
        try await database.withStore { store in
            for user in Self.users {
                let hash = try await PasswordHasher.hash(Self.password(user), cost: settings.bcryptCost)
                try await store.withConnection { try WebUserStore.add(name: user, role: user, passwordHash: hash, on: $0) }
            }
            var logger = Logger(label: "smdr.web.test")
            logger.logLevel = .warning
            let environment = WebEnvironment(store: store, settings: settings, logger: logger, today: { today })
            try await body(WebHarness(store: store, environment: environment))
        }
    }

    /// Runs `body` with a client of the app's router (no socket: Hummingbird's router test mode;
    /// `.live` for a real socket on 127.0.0.1, when a test needs the connection's address).
    func test(_ testing: TestingSetup = .router, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: WebApp.router(environment: self.environment))
        try await app.test(testing) { client in try await body(client) }
    }
}

/// A browser's view of the app: it keeps cookies and finds each page's CSRF token, so a test
/// reads like a person clicking.
final class WebBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    /// The `_csrf` value of the last page that had a form.
    private(set) var csrf: String?

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var location: String? { self.headers[.location] }
    }

    init(_ client: any TestClientProtocol) { self.client = client }

    func get(_ uri: String) async throws -> Page {
        try await self.send(uri, method: .get, body: nil, contentType: nil)
    }

    /// Posts `fields` URL-encoded; `_csrf` is added from the last page unless `csrf` is given
    /// (`.some(nil)`: none at all).
    func post(_ uri: String, _ fields: [(String, String)], csrf: String?? = nil) async throws -> Page {
        var all = fields
        if let token = csrf ?? self.csrf { all.append(("_csrf", token)) }
        let body = all.map { WebLink.encoded($0.0) + "=" + WebLink.encoded($0.1) }.joined(separator: "&")
        return try await self.send(uri, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Signs in as `user` (password from ``WebHarness``); expects the redirect of a success.
    @discardableResult
    func signIn(_ user: String, password: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Page {
        _ = try await self.get("/signin")
        let page = try await self.post("/signin", [("name", user), ("password", password ?? WebHarness.password(user))])
        #expect(page.status == .seeOther, "sign-in as \(user): \(page.status) \(page.body)", sourceLocation: sourceLocation)
        return page
    }

    /// Follows a redirect (303) to its page.
    func follow(_ page: Page) async throws -> Page {
        guard let location = page.location else { return page }
        return try await self.get(location)
    }

    func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String?) async throws -> Page {
        var headers = HTTPFields()
        if !self.cookies.isEmpty {
            headers[.cookie] = self.cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let contentType { headers[.contentType] = contentType }
        let response = try await self.client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        )
        for value in response.headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") { self.cookies[String(pair[0])] = nil } else { self.cookies[String(pair[0])] = String(pair[1]) }
        }
        let text = String(buffer: response.body)
        if let token = Self.csrfToken(in: text) { self.csrf = token }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    /// The value of the first `name="_csrf"` field of a page.
    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// Forgets the session cookie (as if it was never set), keeping the others.
    func dropCookie(_ name: String) { self.cookies[name] = nil }
    func setCookie(_ name: String, _ value: String) { self.cookies[name] = value }
}
