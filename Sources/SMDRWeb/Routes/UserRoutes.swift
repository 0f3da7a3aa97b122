import Hummingbird
import SMDRReports

/// `/users`: to be built.
enum UserRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/users") { _, context in
            let session = try context.require(.admin)
            return WebPage.render(title: "User", section: .users, session: session, body: "<h1>User</h1>\n")
        }
    }
}
