import Hummingbird
import SMDRReports

/// `/queue`: to be built.
enum QueueRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/queue") { _, context in
            let session = try context.require(.viewer)
            return WebPage.render(title: "Queue", section: .queue, session: session, body: "<h1>Queue</h1>\n")
        }
    }
}
