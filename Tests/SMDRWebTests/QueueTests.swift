import Foundation
import HTTPTypes
import SMDRCore
import SMDRPostgres
import SMDRReports
import SMDRTestSupport
import SMDRWeb
import Testing

/// The review queue (`/queue`, `/queue/assign`) on ``QueueFixture``'s firm: what it shows, one
/// click and bulk assignment as the web user with the charge at once, and every refusal leaving
/// the database as it was.
@Suite(.timeLimit(.minutes(5)))
struct QueueTests {
    private typealias Fixture = QueueFixture

    @Test func showsTheCallsWithTheirSuggestionsNewestFirst() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    let page = try await browser.get("/queue")
                    #expect(page.status == .ok)
                    let body = page.body
                    let row = try #require(Self.row(body, Fixture.numberCall))
                    #expect(row.contains("data-site=\"demo\""))
                    // Number history first: 5201 billed twice, 5202 once.
                    #expect(Self.suggestions(row) == ["5201", "5202"])
                    #expect(row.contains("5201 – Alpha Ltd / Merger</button>"))
                    #expect(row.contains("<input type=\"hidden\" name=\"site\" value=\"demo\">"))
                    #expect(row.contains("<input type=\"hidden\" name=\"start\" value=\"2026-10-10 10:00:00\">"))
                    #expect(row.contains("<form class=\"assign\" method=\"post\" action=\"/queue/assign\">"))
                    #expect(row.contains("name=\"_csrf\""))
                    #expect(row.contains("<input name=\"code\" list=\"codes\""))
                    #expect(row.contains("class=\"assign\""))
                    #expect(row.contains("value=\"demo|1010010|2026-10-10 10:00:00\" form=\"bulk\""))
                    #expect(row.contains("no match"))
                    // Eli's own codes: 5202 and 5203 once each, by code.
                    #expect(Self.suggestions(try #require(Self.row(body, Fixture.eliCall))) == ["5202", "5203"])
                    let unverified = try #require(Self.row(body, Fixture.unverifiedCall))
                    #expect(unverified.contains("unverified") && unverified.contains("7777"))
                    // Newest first.
                    let order = [Fixture.unverifiedCall, Fixture.eliCall, Fixture.numberCall, Fixture.closedMonthCall].map {
                        body.range(of: "data-call-id=\"\($0.id)\"")?.lowerBound
                    }
                    #expect(order.allSatisfy { $0 != nil } && order == order.sorted { $0! < $1! })
                    #expect(body.contains("<form id=\"bulk\" class=\"bulk\" method=\"post\" action=\"/queue/assign\">"))
                    // The datalist: active exact codes, not the pattern.
                    #expect(body.contains("<datalist id=\"codes\"><option value=\"5201\">Alpha Ltd / Merger</option>"))
                    #expect(!body.contains("<option value=\"59*\""))
                }
            }
        }
    }

    @Test func filtersNarrowTheQueue() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let eli = try await browser.get("/queue?timekeeper=TK2")
                    #expect(Self.callIDs(eli.body) == [Fixture.eliCall.id])
                    let days = try await browser.get("/queue?from=2026-10-10&to=2026-10-11")
                    #expect(Self.callIDs(days.body) == [Fixture.eliCall.id, Fixture.numberCall.id])
                    let september = try await browser.get("/queue?site=demo&to=2026-09-30")
                    #expect(Self.callIDs(september.body) == [Fixture.closedMonthCall.id])
                    let elsewhere = try await browser.get("/queue?site=elsewhere")
                    #expect(Self.callIDs(elsewhere.body).isEmpty)
                    let bad = try await browser.get("/queue?from=yesterday")
                    #expect(bad.body.contains("from &#39;yesterday&#39; is not a date"))
                    #expect(Self.callIDs(bad.body).count == 4)
                }
            }
        }
    }

    @Test func pagesKeepTheFilters() async throws {
        try await Fixture.with { firm in
            let settings = try WebHarness.settings { $0.pageSize = "2" }
            try await WebHarness.with(firm.database, settings: settings) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("viewer")
                    let first = try await browser.get("/queue?site=demo")
                    #expect(Self.callIDs(first.body) == [Fixture.unverifiedCall.id, Fixture.eliCall.id])
                    #expect(first.body.contains("href=\"/queue?site=demo&amp;page=2\""))
                    let second = try await browser.get("/queue?site=demo&page=2")
                    #expect(Self.callIDs(second.body) == [Fixture.numberCall.id, Fixture.closedMonthCall.id])
                    #expect(!second.body.contains("rel=\"next\""))
                }
            }
        }
    }

    @Test func oneClickAssignsAsTheWebUserAndChargesAtOnce() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/queue?from=2026-10-01")
                    // As a browser sends a suggestion's click: the empty field, then the button.
                    let posted = try await browser.post(
                        "/queue/assign?from=2026-10-01",
                        [
                            ("site", "demo"), ("call_id", String(Fixture.numberCall.id)), ("start", Fixture.numberCall.start),
                            ("code", ""), ("note", "Called back about the merger"), ("code", "5201"),
                        ]
                    )
                    #expect(posted.status == .seeOther)
                    #expect(posted.location == "/queue?from=2026-10-01")
                    let connection = try firm.connect()
                    #expect(try Fixture.assignments(connection, Fixture.numberCall) == ["5201|billing (web)|Called back about the merger"])
                    #expect(try !Fixture.isQueued(connection, Fixture.numberCall))
                    // 300 s → 0.1 h (rounded up to 360 s) × 100.00 = 10.00, billed at once.
                    #expect(try Fixture.charges(connection, Fixture.numberCall) == ["ALPHA 10.00 GBP manual"])
                    let page = try await browser.follow(posted)
                    #expect(page.body.contains("Assigned 5201 to 1 call(s); charges updated."))
                    #expect(Self.row(page.body, Fixture.numberCall) == nil)
                    // Recently assigned: the note and who.
                    #expect(page.body.contains("<td>5201</td><td>Alpha Ltd</td><td>Called back about the merger</td><td>billing (web)</td>"))
                    // The message is shown once.
                    #expect(try await browser.get("/queue").body.contains("Assigned 5201") == false)
                }
            }
        }
    }

    /// Another rating run holds the lease longer than the assignment waits: the code is
    /// assigned, and the page says the charge follows at the next run.
    @Test func aBusyRatingRunLeavesTheChargeToTheNextRun() async throws {
        try await Fixture.with { firm in
            let connection = try firm.connect()
            #expect(try RatingStore.acquireLease(holder: "elsewhere:1", seconds: 900, on: connection) == nil)
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/queue")
                    let posted = try await browser.post("/queue/assign", [("call", Fixture.numberCall.checkbox), ("code", "5201")])
                    #expect(posted.status == .seeOther)
                    #expect(try await browser.follow(posted).body.contains("Assigned 5201 to 1 call(s); charges follow at the next rating run"))
                    let reader = try firm.connect()
                    #expect(try Fixture.assignments(reader, Fixture.numberCall) == ["5201|billing (web)|"])
                    #expect(try Fixture.charges(reader, Fixture.numberCall).isEmpty)
                }
            }
            try RatingStore.releaseLease(holder: "elsewhere:1", on: connection)
            try await firm.succeed("rate")
            #expect(try Fixture.charges(connection, Fixture.numberCall) == ["ALPHA 10.00 GBP manual"])
        }
    }

    @Test func bulkAssignsTheSelectedCalls() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("admin")
                    _ = try await browser.get("/queue")
                    let posted = try await browser.post(
                        "/queue/assign",
                        [("call", Fixture.eliCall.checkbox), ("call", Fixture.unverifiedCall.checkbox), ("code", " 5202 "), ("note", "")]
                    )
                    #expect(posted.status == .seeOther)
                    let connection = try firm.connect()
                    #expect(try Fixture.assignments(connection, Fixture.eliCall) == ["5202|admin (web)|"])
                    #expect(try Fixture.assignments(connection, Fixture.unverifiedCall) == ["5202|admin (web)|"])
                    // 300 s → 0.1 h × 200.00 = 20.00 each.
                    #expect(try Fixture.charges(connection, Fixture.eliCall) == ["BRAVO 20.00 GBP manual"])
                    #expect(try Fixture.charges(connection, Fixture.unverifiedCall) == ["BRAVO 20.00 GBP manual"])
                    #expect(try Fixture.isQueued(connection, Fixture.numberCall))
                    #expect(try await browser.follow(posted).body.contains("Assigned 5202 to 2 call(s); charges updated."))
                }
            }
        }
    }

    @Test func anUnknownCodeIsRefusedAndNothingIsAssigned() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/queue")
                    let page = try await browser.post(
                        "/queue/assign", [("call", Fixture.eliCall.checkbox), ("call", Fixture.numberCall.checkbox), ("code", "NOPE")]
                    )
                    #expect(page.status == .unprocessableContent)
                    #expect(page.body.contains("class=\"error\""))
                    #expect(page.body.contains("code &quot;NOPE&quot; is not registered"))
                    let pattern = try await browser.post("/queue/assign", [("call", Fixture.eliCall.checkbox), ("code", "59*")])
                    #expect(pattern.status == .unprocessableContent)
                    #expect(pattern.body.contains("is a pattern; assign an exact code"))
                    let empty = try await browser.post("/queue/assign", [("call", Fixture.eliCall.checkbox), ("code", "")])
                    #expect(empty.status == .unprocessableContent && empty.body.contains("Type or choose a code."))
                    let connection = try firm.connect()
                    #expect(try Fixture.assignmentCount(connection) == 0)
                    #expect(try Fixture.isQueued(connection, Fixture.eliCall))
                }
            }
        }
    }

    /// Hundreds of refusals in one bulk: the message names those that fit in the cookie and
    /// counts the rest (a browser drops a cookie over 4 KB).
    @Test func manyRefusalsAreCountedNotListed() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/queue")
                    let missing = (1...300).map { ("call", "demo|\(9_000_000 + $0)|2026-10-10 10:00:00") }
                    let posted = try await browser.post("/queue/assign", [("call", Fixture.eliCall.checkbox)] + missing + [("code", "5202")])
                    #expect(posted.status == .seeOther)
                    let cookie = try #require(posted.headers[values: .setCookie].first { $0.hasPrefix("smdr_flash=") })
                    #expect(cookie.utf8.count < 4_096)
                    let page = try await browser.follow(posted)
                    #expect(page.body.contains("Assigned 5202 to 1 call(s); charges updated. Not assigned: demo call 9000001 (2026-10-10 10:00:00): "))
                    // The listed refusals and the count add up to the 300.
                    let listed = page.body.components(separatedBy: "demo call 9").count - 1
                    let more = try #require(page.body.firstMatch(of: /; … and (\d+) more/)).output.1
                    #expect(listed > 0 && listed + (Int(more) ?? 0) == 300)
                    #expect(try Fixture.assignments(try firm.connect(), Fixture.eliCall) == ["5202|billing (web)|"])
                }
            }
        }
    }

    /// Any one-time message longer than the cap is cut (UTF-8 bytes: letters beyond ASCII too).
    @Test func aOneTimeMessageIsCapped() throws {
        for message in [String(repeating: "x", count: 5_000), String(repeating: "é", count: 5_000), "short"] {
            let value = WebCookies.flashHeaders(message)[values: .setCookie][0]
            let encoded = String(value.dropFirst("smdr_flash=".count).prefix { $0 != ";" })
            let decoded = try #require(encoded.removingPercentEncoding)
            if message == "short" {
                #expect(decoded == "short")
            } else {
                #expect(decoded.hasSuffix("…") && decoded.utf8.count <= WebCookies.flashMaximumBytes && decoded.utf8.count > WebCookies.flashMaximumBytes - 4)
                #expect(message.hasPrefix(decoded.dropLast()))
                #expect(value.utf8.count < 4_096)
            }
        }
    }

    @Test func aClosedMonthIsRefusedWithAClearMessage() async throws {
        try await Fixture.with { firm in
            try await firm.succeed("period", "close", "2026-09")
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    _ = try await browser.get("/queue")
                    let page = try await browser.post(
                        "/queue/assign",
                        [
                            ("site", "demo"), ("call_id", String(Fixture.closedMonthCall.id)), ("start", Fixture.closedMonthCall.start),
                            ("code", "5201"),
                        ]
                    )
                    #expect(page.status == .unprocessableContent)
                    #expect(page.body.contains("a closed month: its charges are final"), "\(page.body)")
                    // Part of a bulk: the others are assigned, the closed month's call is named.
                    let bulk = try await browser.post(
                        "/queue/assign", [("call", Fixture.closedMonthCall.checkbox), ("call", Fixture.eliCall.checkbox), ("code", "5202")]
                    )
                    #expect(bulk.status == .seeOther)
                    let after = try await browser.follow(bulk)
                    #expect(after.body.contains("Assigned 5202 to 1 call(s)"))
                    #expect(after.body.contains("Not assigned: demo call 1009001 (2026-09-15 09:00:00): the call starts"))
                    let connection = try firm.connect()
                    #expect(try Fixture.assignments(connection, Fixture.closedMonthCall).isEmpty)
                    #expect(try Fixture.assignments(connection, Fixture.eliCall) == ["5202|billing (web)|"])
                }
            }
        }
    }

    @Test func aViewerOrAFormWithoutItsTokenChangesNothing() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let viewer = WebBrowser(client)
                    try await viewer.signIn("viewer")
                    let page = try await viewer.get("/queue")
                    #expect(page.status == .ok)
                    // The viewer sees the calls, and no form to change them.
                    #expect(Self.row(page.body, Fixture.numberCall) != nil)
                    #expect(!page.body.contains("/queue/assign"))
                    #expect(!page.body.contains("class=\"suggestion\""))
                    let refused = try await viewer.post("/queue/assign", [("call", Fixture.numberCall.checkbox), ("code", "5201")])
                    #expect(refused.status == .forbidden)

                    let billing = WebBrowser(client)
                    try await billing.signIn("billing")
                    _ = try await billing.get("/queue")
                    let forged = try await billing.post(
                        "/queue/assign", [("call", Fixture.numberCall.checkbox), ("code", "5201")], csrf: .some(nil)
                    )
                    #expect(forged.status == .forbidden)
                    let wrong = try await billing.post(
                        "/queue/assign", [("call", Fixture.numberCall.checkbox), ("code", "5201")], csrf: "not-the-token"
                    )
                    #expect(wrong.status == .forbidden)
                    let connection = try firm.connect()
                    #expect(try Fixture.assignmentCount(connection) == 0)
                    #expect(try Fixture.isQueued(connection, Fixture.numberCall))
                    #expect(try Fixture.charges(connection, Fixture.numberCall).isEmpty)
                }
            }
        }
    }

    @Test func callDataIsEscaped() async throws {
        try await Fixture.with { firm in
            try await WebHarness.with(firm.database) { harness in
                try await harness.test { client in
                    let browser = WebBrowser(client)
                    try await browser.signIn("billing")
                    let body = try await browser.get("/queue").body
                    // The caller name of the number call, and the unverified call's number.
                    Fixture.expectEscaped(body, Fixture.hostile)
                    Fixture.expectEscaped(body, Fixture.hostileNumber)
                    #expect(body.contains("<span class=\"caller\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"))
                    // A filter echoed in an attribute.
                    let echoed = try await browser.get("/queue?site=%22%3E%3Cscript%3E").body
                    #expect(echoed.contains("name=\"site\" value=\"&quot;&gt;&lt;script&gt;\""))
                    #expect(!echoed.contains("\"><script>"))
                    // A site name (any character but / \\ and controls) in the row's data-*
                    // attributes, the checkbox's value and the form's hidden field.
                    let connection = try firm.connect()
                    try connection.execute("UPDATE smdr.site SET name = $1 WHERE name = 'demo'", [.text(Self.hostileSite)])
                    let renamed = try await browser.get("/queue").body
                    #expect(!renamed.contains(Self.hostileSite))
                    #expect(!renamed.contains("\" onmouseover=\""))
                    let site = HTMLText.escape(Self.hostileSite)
                    #expect(site == "x&quot; onmouseover=&quot;alert(1)")
                    #expect(renamed.contains("<tr class=\"call\" data-site=\"\(site)\" data-call-id=\"\(Fixture.numberCall.id)\""))
                    #expect(renamed.contains("value=\"\(site)|\(Fixture.numberCall.id)|\(Fixture.numberCall.start)\" form=\"bulk\""))
                    #expect(renamed.contains("<input type=\"hidden\" name=\"site\" value=\"\(site)\">"))
                }
            }
        }
    }

    /// A site name that would end an attribute and add an event handler if it were not escaped.
    static let hostileSite = "x\" onmouseover=\"alert(1)"

    /// The page's rows and suggestions are `smdr.unassigned_calls`' (the view), page by page.
    @Test func thePagedQueryIsTheView() async throws {
        try await Fixture.with { firm in
            // More history: the number billed to 5203 once more than 5202, by a timekeeper.
            try await firm.ingest([
                CaptureLine.outbound("2026/10/20 09:00:00", talk: 60, user: .eli, code: "5203", callID: 1_010_020, number: "01632960100"),
                CaptureLine.outbound("2026/10/21 09:00:00", talk: 60, user: .eli, code: "5203", callID: 1_010_021, number: "01632960100"),
                CaptureLine.inbound("2026/10/22 09:00:00", talk: 60, user: .eli, callID: 1_010_022, number: "01632960100"),
                CaptureLine.outbound("2026/10/22 09:00:00", talk: 60, callID: 1_010_023, number: "01632960999"),
            ])
            try await firm.succeed("rate")
            let connection = try firm.connect()
            // A queued match whose leg has no call_leg row (the view inner-joins call_leg): the
            // newest in leg_match, in no page.
            try connection.executeScript(
                """
                CREATE TEMP TABLE phantom AS SELECT * FROM smdr.leg_match WHERE call_id = 1010023;
                UPDATE phantom SET call_id = 1010099, call_start_local = '2026-10-23 09:00:00', leg_start_local = '2026-10-23 09:00:00';
                INSERT INTO smdr.leg_match SELECT * FROM phantom;
                """
            )
            let view = try RatingFirm.strings(
                connection,
                """
                SELECT concat_ws('|', site, call_id, call_start_local, external_number, entered_code, reason, array_to_string(suggestions, ','),
                                 coalesce(array_to_string(timekeeper_ids, ','), ''), user_names, connected_seconds)
                FROM smdr.unassigned_calls ORDER BY call_start_local DESC, call_id DESC
                """
            )
            func rows(_ filter: QueueStore.Filter, offset: Int, limit: Int) throws -> [String] {
                try QueueStore.page(filter, offset: offset, limit: limit, on: connection).map {
                    [
                        $0.site, String($0.callID), $0.start, $0.externalNumber, $0.enteredCode, $0.reason,
                        $0.suggestions.map(\.code).joined(separator: ","), $0.timekeeperIDs.sorted().joined(separator: ","), $0.userNames,
                        String($0.connectedSeconds),
                    ].joined(separator: "|")
                }
            }
            #expect(view.count == 6 && !view.contains { $0.contains("|1010099|") })
            #expect(try rows(QueueStore.Filter(), offset: 0, limit: 100) == view)
            #expect(try rows(QueueStore.Filter(), offset: 0, limit: 4) + rows(QueueStore.Filter(), offset: 4, limit: 4) == view)
            let ranked = try #require(try QueueStore.page(QueueStore.Filter(), offset: 0, limit: 100, on: connection).first { $0.callID == 1_010_022 })
            #expect(ranked.suggestions.map(\.code) == ["5201", "5203", "5202"])
            #expect(ranked.suggestions.first?.matterName == "Merger")
            let october = QueueStore.Filter(site: "demo", timekeeperID: "TK2", from: LocalDate(iso: "2026-10-11"), to: LocalDate(iso: "2026-10-22"))
            #expect(try rows(october, offset: 0, limit: 100) == view.filter { $0.contains("|TK2|") && !$0.contains("2026-09") })
        }
    }

    // MARK: reading the page

    /// The `<tr class="call" …>` row of the call, if the page shows it.
    static func row(_ body: String, _ call: QueueFixture.Call) -> String? {
        guard let start = body.range(of: "<tr class=\"call\" data-site=\"demo\" data-call-id=\"\(call.id)\" data-start=\"\(call.start)\">"),
            let end = body[start.upperBound...].range(of: "</tr>")
        else { return nil }
        return String(body[start.lowerBound..<end.upperBound])
    }

    /// The codes of a row's suggestion buttons, in order.
    static func suggestions(_ row: String) -> [String] {
        row.components(separatedBy: "<button type=\"submit\" class=\"suggestion\" name=\"code\" value=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    /// The Call IDs of the page's rows, in order.
    static func callIDs(_ body: String) -> [Int] {
        body.components(separatedBy: "<tr class=\"call\" ").dropFirst().compactMap {
            guard let range = $0.range(of: "data-call-id=\"") else { return nil }
            return Int($0[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}
