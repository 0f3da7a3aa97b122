import Hummingbird
import SMDRReports

/// `/statements`: to be built.
enum StatementRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/statements") { _, context in
            let session = try context.require(.viewer)
            return WebPage.render(title: "Statement", section: .statements, session: session, body: "<h1>Statement</h1>\n")
        }
    }
}
