import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRReports

/// `/queue`, billing's home: the review queue (viewer and up read it), and `/queue/assign`
/// (billing and up), which gives calls a code exactly as `smdr assign` does (recording the web
/// user), then re-rates the days the calls start on as `smdr rate --rerate` does, so the charge
/// shows at once (see ``rerate(_:user:logger:environment:)``).
enum QueueRoutes {
    /// Manual assignments listed under "Recently assigned".
    static let recentLimit = 20
    /// Codes offered by the code field's autocomplete (`<datalist>`), in code order; any registered
    /// code can be typed. A firm's thousands of codes would make every queue page heavy.
    static let codeListLimit = 1_000
    /// Calls one assignment takes at most (the bulk form sends a page's checkboxes).
    static let maximumCallsPerAssignment = 1_000
    /// How long an assignment waits for another rating run to finish before leaving the charges
    /// to the next run: 5 s.
    static let rerateLeaseWaitSeconds = 5
    /// Days an assignment re-rates at once, at most: 31. The re-rate runs inside the request
    /// (holding the rating lease); calls spread over more days leave their charges to the next
    /// rating run, which re-rates the days of every assignment since the last.
    static let maximumRerateDays = 31
    /// Runs of consecutive days an assignment re-rates at once, at most: 4 (each run reads the
    /// register again, the largest part of a short re-rate). More: the next rating run.
    static let maximumRerateRuns = 4

    static func register(on router: Router<WebRequestContext>, environment: WebEnvironment) {
        router.get("/queue") { request, context in
            let session = try context.require(.viewer)
            return try await Self.page(
                query: QueueQuery(request.queryFields), session: session, problems: [], context: context, environment: environment
            )
        }
        router.post("/queue/assign") { request, context in
            let session = try context.require(.billing)
            return try await Self.assign(request: request, context: context, session: session, environment: environment)
        }
    }

    /// The queue page for `query`, with `problems` of a refused change above it.
    private static func page(
        query: QueueQuery, session: WebSession, problems: [String], context: WebRequestContext, status: HTTPResponse.Status = .ok,
        environment: WebEnvironment
    ) async throws -> Response {
        let size = environment.settings.pageSize
        let offset = (query.page - 1) * size
        let filter = query.filter
        let mayAssign = session.may(.billing)
        let (calls, codes, recent) = try await environment.store.withConnection { connection in
            (
                try QueueStore.page(filter, offset: offset, limit: size + 1, on: connection),
                mayAssign ? try QueueStore.codes(limit: Self.codeListLimit + 1, on: connection) : [],
                try QueueStore.recentAssignments(limit: Self.recentLimit, on: connection)
            )
        }
        let page = QueuePage(
            session: session, query: query, calls: Array(calls.prefix(size)), hasNext: calls.count > size,
            codes: Array(codes.prefix(Self.codeListLimit)), codesTruncated: codes.count > Self.codeListLimit, recent: recent,
            problems: problems
        )
        return WebPage.render(context: context, title: "Review queue", section: .queue, status: status, body: page.body)
    }

    /// A call the form names: `site`, `call_id`, `start`, or a checkbox's `SITE|CALL_ID|START`.
    private struct CallKey {
        var site: String
        var callID: Int
        var start: LocalDateTime

        /// `SITE|CALL_ID|START`; a site name may hold `|`, so it is read from the right.
        init?(checkbox value: String) {
            guard let last = value.lastIndex(of: "|") else { return nil }
            let head = value[..<last]
            guard let middle = head.lastIndex(of: "|") else { return nil }
            self.init(site: String(head[..<middle]), callID: String(head[head.index(after: middle)...]), start: String(value[value.index(after: last)...]))
        }

        init?(site: String, callID: String, start: String) {
            guard !site.isEmpty, let id = Int(callID), id >= 0, let time = LocalDateTime(iso: start) else { return nil }
            self.site = site
            self.callID = id
            self.start = time
        }

        var label: String { "\(self.site) call \(self.callID) (\(self.start))" }
    }

    private static func assign(
        request: Request, context: WebRequestContext, session: WebSession, environment: WebEnvironment
    ) async throws -> Response {
        let form = context.form
        let logger = context.logger
        let query = QueueQuery(request.queryFields)
        // The field's code, or a suggestion button's, which comes after it: the last code given.
        let code = form.all("code").map { $0.trimmed() }.last { !$0.isEmpty } ?? ""
        let note = (form["note"] ?? "").trimmed()
        var keys: [CallKey] = []
        var problems: [String] = []
        let boxes = form.all("call")
        if !boxes.isEmpty {
            for value in boxes {
                if let key = CallKey(checkbox: value) { keys.append(key) } else { problems.append("'\(value)' does not name a call.") }
            }
        } else if let site = form["site"], let id = form["call_id"], let start = form["start"] {
            if let key = CallKey(site: site, callID: id, start: start) { keys.append(key) } else { problems.append("The form does not name a call.") }
        }
        if keys.isEmpty && problems.isEmpty { problems.append("Select at least one call.") }
        if keys.count > Self.maximumCallsPerAssignment {
            problems.append("At most \(Self.maximumCallsPerAssignment) calls can be assigned at once; \(keys.count) were selected.")
        }
        if code.isEmpty { problems.append("Type or choose a code.") }
        guard problems.isEmpty else {
            return try await Self.page(query: query, session: session, problems: problems, context: context, status: .unprocessableContent, environment: environment)
        }
        var assigned: [AssignmentStore.Outcome] = []
        for key in keys {
            do {
                let outcome = try await environment.store.withConnection { connection in
                    try QueueStore.assign(
                        site: key.site, callID: key.callID, start: key.start, code: code, note: note, userName: session.userName, on: connection
                    )
                }
                assigned.append(outcome)
            } catch let refusal as AssignmentStore.Refusal {
                problems.append("\(key.label): \(refusal)")
            }
        }
        // The code is billing data: only at debug (the assignment itself records who and what).
        logger.debug(
            "web assign",
            metadata: [
                "smdr.web.user": "\(session.userName)", "smdr.web.code": "\(code)", "smdr.web.assigned": "\(assigned.count)",
                "smdr.web.refused": "\(problems.count)",
            ]
        )
        guard !assigned.isEmpty else {
            return try await Self.page(
                query: query, session: session, problems: ["Nothing was assigned."] + problems, context: context, status: .unprocessableContent,
                environment: environment
            )
        }
        let charges = await Self.rerate(assigned, user: session.userName, logger: logger, environment: environment)
        var message = "Assigned \(code) to \(assigned.count) call(s); \(charges)"
        if !problems.isEmpty {
            message += " Not assigned: "
            message += Self.listed(problems, within: WebCookies.flashMaximumBytes - message.utf8.count)
        }
        let target = WebLink.path(["queue"], query: query.pairs + (query.page > 1 ? [("page", String(query.page))] : []))
        return WebPage.redirect(to: target, flash: message)
    }

    /// `items` joined by `; `, as many as fit in `budget` UTF-8 bytes, the rest counted
    /// (`…; … and 12 more`): the one-time message travels in a cookie.
    static func listed(_ items: [String], within budget: Int) -> String {
        var text = ""
        for (index, item) in items.enumerated() {
            let next = (index == 0 ? "" : "; ") + item
            let rest = items.count - index - 1
            // Room for this item, and for the count of those after it.
            let tail = rest > 0 ? "; … and \(rest) more".utf8.count : 0
            guard text.utf8.count + next.utf8.count + tail <= budget else {
                return text + (index == 0 ? "" : "; ") + "… and \(items.count - index) more"
            }
            text += next
        }
        return text
    }

    /// Re-rates the local days the assigned calls start on, so their charges show at once: each
    /// run of consecutive days is one `smdr rate --rerate --from … --to …` (calls months apart
    /// re-rate their own days, not every day between). Beyond ``maximumRerateDays`` days or
    /// ``maximumRerateRuns`` runs, nothing is re-rated now: the next rating run does it. Says
    /// what happened, for the message.
    private static func rerate(_ assigned: [AssignmentStore.Outcome], user: String, logger: Logger, environment: WebEnvironment) async -> String {
        let days = Set(assigned.compactMap { LocalDateTime(iso: $0.callStartLocal)?.date }).sorted()
        guard !days.isEmpty else { return "charges follow at the next rating run." }
        var runs: [ClosedRange<LocalDate>] = []
        for day in days {
            if let last = runs.last, last.upperBound.adding(days: 1) == day {
                runs[runs.count - 1] = last.lowerBound...day
            } else {
                runs.append(day...day)
            }
        }
        guard days.count <= Self.maximumRerateDays, runs.count <= Self.maximumRerateRuns else {
            logger.info("web assign: re-rate left to the rating run", metadata: ["days": "\(days.count)", "runs": "\(runs.count)"])
            return "charges follow at the next rating run (the calls are spread over \(days.count) days, more than are re-rated at once)."
        }
        let clock = ContinuousClock()
        for period in runs {
            let run = RateRun(
                kind: .rerate, from: period.lowerBound, to: period.upperBound, holder: RateRun.defaultHolder + " (web: \(user))",
                leaseWaitSeconds: Self.rerateLeaseWaitSeconds
            )
            let started = clock.now
            do {
                let summary = try await run.run(in: environment.store, nowEpoch: Int(Date().timeIntervalSince1970))
                if let busy = summary.busy {
                    logger.notice("web assign: rating lease busy", metadata: ["holder": "\(busy)"])
                    return "charges follow at the next rating run (another rating run is busy)."
                }
                logger.info(
                    "web assign: re-rated", metadata: ["from": "\(period.lowerBound)", "to": "\(period.upperBound)", "elapsed": "\(clock.now - started)"]
                )
            } catch {
                logger.error("web assign: re-rate failed", metadata: ["error": "\(error)"])
                return "charges follow at the next rating run (re-rating now failed; see the log)."
            }
        }
        return "charges updated."
    }
}
