import Hummingbird
import SMDRPostgres
import SMDRReports

/// `/calls` (viewer and up): the usage report, searched and paged, newest first.
enum CallsRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/calls") { request, context in
            try context.require(.viewer)
            let query = CallsQuery(request.queryFields, today: environment.today())
            let size = environment.settings.pageSize
            let offset = (query.page - 1) * size
            let filter = query.filter
            let calls = try await environment.store.withConnection { connection in
                try CallsStore.page(filter, offset: offset, limit: size + 1, on: connection)
            }
            let page = CallsPage(query: query, calls: Array(calls.prefix(size)), hasNext: calls.count > size)
            return WebPage.render(context: context, title: "Calls", section: .calls, body: page.body)
        }
    }
}
