import Hummingbird
import SMDRReports

/// `/calls`: to be built.
enum CallsRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/calls") { _, context in
            let session = try context.require(.viewer)
            return WebPage.render(title: "Calls", section: .calls, session: session, body: "<h1>Calls</h1>\n")
        }
    }
}
