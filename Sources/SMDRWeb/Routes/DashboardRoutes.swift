import Hummingbird
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `/dashboard` (viewer and up; the viewer's home): `?month=YYYY-MM`, by default the month of
/// ``WebEnvironment/today``. The month's figures are `smdr report`'s, read leaner
/// (``DashboardStore/figures(firm:from:to:on:)``), in one snapshot with the sites' ingest health.
enum DashboardRoutes {
    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/dashboard") { request, context in
            try context.require(.viewer)
            let fields = request.queryFields
            var month = environment.today().firstOfMonth
            var problems: [String] = []
            if let text = fields["month"], !text.isEmpty {
                if let given = LocalDate(yearMonth: text) {
                    month = given
                } else {
                    problems.append("month '\(text)' is not a month (YYYY-MM); this month is shown.")
                }
            }
            let firm = environment.settings.output.firm
            let first = month
            let (report, health) = try await environment.store.withConnection { connection in
                try ReportStore.withSnapshot(on: connection) {
                    (
                        try DashboardStore.figures(firm: firm, from: first, to: first.lastOfMonth, on: connection),
                        try DashboardStore.ingestHealth(on: connection)
                    )
                }
            }
            let page = DashboardPage(month: month, report: report, health: health, problems: problems)
            return WebPage.render(context: context, title: "Dashboard", section: .dashboard, body: page.body)
        }
    }
}
