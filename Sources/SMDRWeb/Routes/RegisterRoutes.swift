import Hummingbird
import SMDRReports

/// `/register`: to be built.
enum RegisterRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/register") { _, context in
            let session = try context.require(.viewer)
            return WebPage.render(title: "Register", section: .register, session: session, body: "<h1>Register</h1>\n")
        }
    }
}
