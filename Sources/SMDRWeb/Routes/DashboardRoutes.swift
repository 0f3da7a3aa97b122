import Hummingbird
import SMDRReports

/// `/dashboard`: to be built.
enum DashboardRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/dashboard") { _, context in
            let session = try context.require(.viewer)
            return WebPage.render(title: "Dashboard", section: .dashboard, session: session, body: "<h1>Dashboard</h1>\n")
        }
    }
}
