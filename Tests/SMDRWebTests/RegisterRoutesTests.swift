import Foundation
import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// The register's pages: lists, search, the add and edit forms (one-row imports), deactivate
/// and remove, export, the clients page. Every change is checked in the database.
@Suite struct RegisterRoutesTests {
    @Test func overviewCountsEachKindAndSearchCountsMatches() async throws {
        try await RegisterFixture.with("viewer") { browser, _ in
            let page = try await browser.get("/register")
            #expect(page.status == .ok)
            #expect(page.body.contains("href=\"/register/codes\">Account codes</a></th><td class=\"num\">2</td>"))
            #expect(page.body.contains("href=\"/register/timekeepers\">Timekeepers</a></th><td class=\"num\">2</td>"))
            #expect(page.body.contains("2 clients, 1 matter<"))
            let search = try await browser.get("/register?q=acme")
            #expect(search.body.contains("<a href=\"/register/codes?q=acme\">1</a>"))
            #expect(search.body.contains("<a href=\"/register/clients?q=acme\">1</a>"))
            #expect(search.body.contains("<a href=\"/register/plans?q=acme\">0</a>"))
        }
    }

    @Test func everyKindListsItsRowsAndSearchNarrows() async throws {
        try await RegisterFixture.with("viewer") { browser, _ in
            let expected: [(String, String)] = [
                ("codes", "4200"), ("numbers", "+4416329602"), ("defaults", "Nothing registered yet."), ("timekeepers", "Dana Dee"),
                ("plans", "PARTNER"), ("rates", "TK1"),
            ]
            for (kind, text) in expected {
                let page = try await browser.get("/register/\(kind)")
                #expect(page.status == .ok, "\(kind)")
                let table = try #require(PageText.element(page.body, id: "register-rows", tag: "table"), "\(kind)")
                #expect(table.contains(text), "\(kind)")
                // A viewer sees no change buttons.
                #expect(!table.contains("class=\"edit\""), "\(kind)")
                #expect(!page.body.contains("id=\"add-row\""), "\(kind)")
                #expect(page.body.contains("id=\"export-csv\" href=\"/register/\(kind).csv\""), "\(kind)")
            }
            let all = try #require(PageText.element(try await browser.get("/register/codes").body, id: "register-rows", tag: "table"))
            #expect(all.contains("<td data-column=\"code\">4100</td>") && all.contains("<td data-column=\"code\">4200</td>"))
            let beta = try #require(PageText.element(try await browser.get("/register/codes?q=beta").body, id: "register-rows", tag: "table"))
            #expect(beta.contains("<td data-column=\"code\">4200</td>"))
            #expect(!beta.contains("<td data-column=\"code\">4100</td>"))
            // A client's numbers (by their code's client).
            let acme = try #require(PageText.element(try await browser.get("/register/numbers?client=ACME").body, id: "register-rows", tag: "table"))
            #expect(acme.contains("+441632960100") && !acme.contains("+4416329602<"))
        }
    }

    @Test func listsArePagedBySMDRWebPageSize() async throws {
        let settings = try WebHarness.settings { $0.pageSize = "1" }
        try await RegisterFixture.with("viewer", settings: settings) { browser, _ in
            let first = try await browser.get("/register/codes")
            #expect(first.body.contains("<td data-column=\"code\">4100</td>"))
            #expect(!first.body.contains("<td data-column=\"code\">4200</td>"))
            #expect(first.body.contains("rel=\"next\" href=\"/register/codes?page=2\""))
            let second = try await browser.get("/register/codes?page=2")
            #expect(second.body.contains("<td data-column=\"code\">4200</td>"))
            #expect(!second.body.contains("rel=\"next\""))
            #expect(second.body.contains("rel=\"prev\" href=\"/register/codes\""))
            // Out of range pages are clamped, not an error.
            #expect(try await browser.get("/register/codes?page=-5").body.contains("<td data-column=\"code\">4100</td>"))
            #expect(try await browser.get("/register/codes?page=99999999999999999999").status == .ok)
        }
    }

    @Test func addACodeThroughTheForm() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            let form = try await browser.get("/register/codes/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("<input type=\"hidden\" name=\"_new\" value=\"1\">"))
            for column in ["code", "client_id", "client_name", "matter_id", "matter_name", "description", "valid_from", "valid_to"] {
                #expect(form.body.contains("name=\"\(column)\" id=\"field-\(column)\""), "\(column)")
            }
            #expect(form.body.contains("<select name=\"active\" id=\"field-active\"><option selected>true</option><option>false</option></select>"))
            let saved = try await browser.post(
                "/register/codes/save",
                [
                    ("_new", "1"), ("code", "4300"), ("client_id", "GAMMA"), ("client_name", "Gamma LLP"), ("matter_id", "G-1"),
                    ("matter_name", "Lease"), ("description", "Gamma lease"), ("active", "true"), ("valid_from", ""), ("valid_to", ""),
                ]
            )
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/register/codes?q=4300")
            let list = try await browser.follow(saved)
            #expect(list.body.contains("<p class=\"flash\" role=\"status\">codes: 1 added, 0 changed, 0 deactivated, 0 unchanged</p>"))
            #expect(list.headers[values: .setCookie].contains { $0.hasPrefix("smdr_flash=;") && $0.contains("Max-Age=0") })
            #expect(
                try RegisterFixture.strings(firm, "SELECT a.code || ' ' || c.name || ' ' || m.name || ' ' || a.active FROM smdr.account_code a JOIN smdr.client c USING (client_id) JOIN smdr.matter m USING (client_id, matter_id) WHERE code = '4300'")
                    == ["4300 Gamma LLP Lease true"]
            )
            // The flash is shown once.
            #expect(!(try await browser.get("/register/codes").body.contains("class=\"flash\"")))
        }
    }

    @Test func editChangesTheRowAndSavingUnchangedIsNoChange() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            let form = try await browser.get("/register/codes/edit?code=4200")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"code\" id=\"field-code\" value=\"4200\" readonly"))
            #expect(form.body.contains("value=\"Beta, all matters\""))
            #expect(form.body.contains("name=\"valid_from\" id=\"field-valid_from\" value=\"2026-01-01\""))
            #expect(!form.body.contains("name=\"_new\""))
            // Saved as shown: the CLI's no-change line.
            var fields: [(String, String)] = []
            for column in ["code", "client_id", "client_name", "matter_id", "matter_name", "description", "valid_from", "valid_to"] {
                fields.append((column, try #require(PageText.inputValue(form.body, name: column), "\(column)")))
            }
            fields.append(("active", "true"))
            let same = try await browser.post("/register/codes/save", fields)
            #expect(same.status == .seeOther)
            #expect(try await browser.follow(same).body.contains("codes: no change (1 unchanged)"))
            // Changed.
            fields = fields.map { $0.0 == "description" ? ($0.0, "Beta & Sons, everything") : $0 }
            let changed = try await browser.post("/register/codes/save", fields)
            #expect(try await browser.follow(changed).body.contains("codes: 0 added, 1 changed, 0 deactivated, 0 unchanged"))
            #expect(try RegisterFixture.strings(firm, "SELECT description FROM smdr.account_code WHERE code = '4200'") == ["Beta & Sons, everything"])
            // An unknown key is 404.
            #expect(try await browser.get("/register/codes/edit?code=9999").status == .notFound)
            #expect(try await browser.get("/register/nonsense").status == .notFound)
        }
    }

    @Test func aBadValueIsRefusedWithTheCLIMessageAndChangesNothing() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/codes/new")
            let before = try await RegisterFixture.snapshot(firm)
            let page = try await browser.post(
                "/register/codes/save",
                [
                    ("_new", "1"), ("code", "4400"), ("client_id", "DELTA"), ("client_name", "Delta"), ("matter_id", ""), ("matter_name", ""),
                    ("description", "x"), ("active", "maybe"), ("valid_from", "2026-13-01"), ("valid_to", ""),
                ]
            )
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("<li>column valid_from: 2026-13-01 is not a date; expected YYYY-MM-DD or empty</li>"))
            #expect(page.body.contains("<li>column active: &#39;maybe&#39; is not true or false; expected true or false (also yes/no, 1/0), or empty for true</li>"))
            #expect(page.body.contains("<p class=\"field-problem\" id=\"problem-valid_from\">"))
            // Values kept, the odd one too.
            #expect(page.body.contains("name=\"valid_from\" id=\"field-valid_from\" value=\"2026-13-01\""))
            #expect(page.body.contains("<option selected>maybe</option>"))
            #expect(page.body.contains("name=\"code\" id=\"field-code\" value=\"4400\""))
            #expect(try await RegisterFixture.snapshot(firm) == before)

            // A number whose code is not registered: the database's check, worded as the CLI's.
            let number = try await browser.post(
                "/register/numbers/save", [("_new", "1"), ("number", "+441632960999"), ("match", "exact"), ("code", "NOPE"), ("blocked", "false"), ("note", "")]
            )
            #expect(number.status == .unprocessableContent)
            #expect(number.body.contains("column code: NOPE is not a registered code; expected a code of the codes file"))
            // Adding a key that exists is refused, not an overwrite.
            let existing = try await browser.post(
                "/register/numbers/save",
                [("_new", "1"), ("number", "+441632960100"), ("match", "exact"), ("code", "4200"), ("blocked", "false"), ("note", "")]
            )
            #expect(existing.status == .unprocessableContent)
            #expect(existing.body.contains("number +441632960100 is registered already"))
            #expect(try await RegisterFixture.snapshot(firm) == before)
        }
    }

    @Test func codesAreDeactivatedNeverDeleted() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            let list = try await browser.get("/register/codes")
            #expect(list.body.contains("<form class=\"inline remove\" method=\"post\" action=\"/register/codes/remove\""))
            #expect(list.body.contains(">Deactivate</button>"))
            let done = try await browser.post("/register/codes/remove", [("code", "4100")])
            #expect(done.status == .seeOther)
            let after = try await browser.follow(done)
            #expect(after.body.contains("codes: 0 added, 0 changed, 1 deactivated, 1 unchanged"))
            #expect(after.body.contains("<tr class=\"inactive\"><td data-column=\"code\">4100</td>"))
            #expect(try RegisterFixture.strings(firm, "SELECT code || ' ' || active FROM smdr.account_code ORDER BY code") == ["4100 false", "4200 true"])
            // Its number still refers to it.
            #expect(try RegisterFixture.strings(firm, "SELECT count(*) FROM smdr.client_number WHERE code = '4100'") == ["1"])
            // Again: nothing to do.
            let again = try await browser.post("/register/codes/remove", [("code", "4100")])
            #expect(try await browser.follow(again).body.contains("nothing to deactivate"))
            // A form without the key (or with an unknown one) changes nothing, never "every code but none".
            for fields in [[(String, String)](), [("code", "")], [("code", "NOPE")]] {
                let none = try await browser.post("/register/codes/remove", fields)
                #expect(try await browser.follow(none).body.contains("nothing to deactivate"))
            }
            #expect(try RegisterFixture.strings(firm, "SELECT code || ' ' || active FROM smdr.account_code ORDER BY code") == ["4100 false", "4200 true"])
            let noNumber = try await browser.post("/register/numbers/remove", [("number", "")])
            #expect(try await browser.follow(noNumber).body.contains("nothing to remove"))
            #expect(try RegisterFixture.strings(firm, "SELECT count(*) FROM smdr.client_number") == ["2"])
        }
    }

    @Test func numbersAreRemovedAndCanBeBlockedWithAReason() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/numbers")
            let blocked = try await browser.post(
                "/register/numbers/save",
                [("number", "+441632960100"), ("match", "exact"), ("code", "4100"), ("blocked", "true"), ("note", "Nuisance caller")]
            )
            #expect(try await browser.follow(blocked).body.contains("numbers: 0 added, 1 changed, 0 removed, 0 unchanged"))
            #expect(try RegisterFixture.strings(firm, "SELECT blocked || ' ' || note FROM smdr.client_number WHERE number = '+441632960100'") == ["true Nuisance caller"])
            let list = try await browser.get("/register/numbers")
            #expect(list.body.contains("<tr class=\"blocked\"><td data-column=\"number\">+441632960100</td>"))
            let removed = try await browser.post("/register/numbers/remove", [("number", "+4416329602")])
            #expect(try await browser.follow(removed).body.contains("numbers: 0 added, 0 changed, 1 removed, 1 unchanged"))
            #expect(try RegisterFixture.strings(firm, "SELECT number FROM smdr.client_number") == ["+441632960100"])
        }
    }

    @Test func aPlanARateUsesCannotBeRemoved() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/plans")
            let before = try await RegisterFixture.snapshot(firm)
            let page = try await browser.post("/register/plans/remove", [("plan_id", "STD")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("column plan_id: plan STD is not in the file but rate assignments use it (site demo: STD from open to open)"))
            #expect(try await RegisterFixture.snapshot(firm) == before)
        }
    }

    @Test func defaultsTimekeepersPlansAndRatesThroughTheirForms() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/defaults/new")
            let defaultSaved = try await browser.post(
                "/register/defaults/save", [("_new", "1"), ("site", "demo"), ("kind", "extension"), ("value", "201"), ("code", "4100")]
            )
            #expect(defaultSaved.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT kind || ' ' || value || ' ' || code FROM smdr.code_default") == ["extension 201 4100"])
            let defaultEdit = try await browser.get("/register/defaults/edit?site=demo&kind=extension&value=201")
            #expect(defaultEdit.body.contains("<select name=\"kind\" id=\"field-kind\"><option selected>extension</option><option>user</option><option>ddi</option></select>"))
            let badSite = try await browser.post("/register/defaults/save", [("site", "nowhere"), ("kind", "user"), ("value", "Reception"), ("code", "4100")])
            #expect(badSite.status == .unprocessableContent)
            #expect(badSite.body.contains("column site: no site named nowhere; expected a site of smdr site list (demo)"))

            let keeper = try await browser.post(
                "/register/timekeepers/save",
                [("_new", "1"), ("timekeeper_id", "TK3"), ("name", "Fay Fox"), ("classification", "PL"), ("site", "demo"), ("extension", "303"), ("user_name", "")]
            )
            #expect(keeper.status == .seeOther)
            let clash = try await browser.post(
                "/register/timekeepers/save",
                [("timekeeper_id", "TK3"), ("name", "Fay Fox"), ("classification", "PL"), ("site", "demo"), ("extension", "301"), ("user_name", "")]
            )
            #expect(clash.status == .unprocessableContent)
            #expect(clash.body.contains("column extension: 301 at site demo is already the extension of timekeeper TK1"))
            let renamed = try await browser.post(
                "/register/timekeepers/save",
                [("timekeeper_id", "TK3"), ("name", "Fay Fox-Lee"), ("classification", "PL"), ("site", "demo"), ("extension", "303"), ("user_name", "")]
            )
            #expect(renamed.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT name FROM smdr.timekeeper WHERE timekeeper_id = 'TK3'") == ["Fay Fox-Lee"])

            let plan = try await browser.post(
                "/register/plans/save",
                [
                    ("_new", "1"), ("plan_id", "CHEAP"), ("hourly_rate", "120.50"), ("currency", "GBP"), ("increment_seconds", "360"),
                    ("minimum_seconds", "0"), ("grace_seconds", "10"), ("rounding", "nearest"), ("scope", "call"), ("bill_hold_time", "false"),
                    ("carrier_markup_percent", ""),
                ]
            )
            #expect(plan.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT hourly_rate || ' ' || rounding || ' ' || scope FROM smdr.rate_plan WHERE plan_id = 'CHEAP'") == ["120.50 nearest call"])
            let planForm = try await browser.get("/register/plans/edit?plan_id=CHEAP")
            #expect(planForm.body.contains("<option selected>nearest</option>"))
            #expect(planForm.body.contains("name=\"hourly_rate\" id=\"field-hourly_rate\" value=\"120.50\""))

            let rate = try await browser.post(
                "/register/rates/save",
                [
                    ("_new", "1"), ("plan_id", "CHEAP"), ("client_id", "BETA"), ("matter_id", ""), ("timekeeper_id", "TK3"), ("site", ""),
                    ("effective_from", "2026-04-01"), ("effective_to", "2026-05-01 12:30"),
                ]
            )
            #expect(rate.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT plan_id || ' ' || effective_from || ' ' || effective_to FROM smdr.rate_assignment WHERE client_id = 'BETA'") == ["CHEAP 2026-04-01 00:00:00 2026-05-01 12:30:00"])
            let rates = try await browser.get("/register/rates?q=CHEAP")
            let edit = "/register/rates/edit?plan_id=CHEAP&amp;client_id=BETA&amp;timekeeper_id=TK3&amp;effective_from=2026-04-01"
            #expect(rates.body.contains("<a class=\"edit\" href=\"\(edit)\">Edit</a>"))
            let rateForm = try await browser.get(PageText.unescaped(edit))
            #expect(rateForm.body.contains("name=\"effective_to\" id=\"field-effective_to\" value=\"2026-05-01 12:30\""))
            let removedRate = try await browser.post(
                "/register/rates/remove",
                [("plan_id", "CHEAP"), ("client_id", "BETA"), ("matter_id", ""), ("timekeeper_id", "TK3"), ("site", ""), ("effective_from", "2026-04-01")]
            )
            #expect(try await browser.follow(removedRate).body.contains("rates: 0 added, 0 changed, 1 removed, 2 unchanged"))
            #expect(try RegisterFixture.strings(firm, "SELECT count(*) FROM smdr.rate_assignment") == ["2"])
            let removedKeeper = try await browser.post("/register/timekeepers/remove", [("timekeeper_id", "TK3")])
            #expect(try await browser.follow(removedKeeper).body.contains("timekeepers: 0 added, 0 changed, 1 removed, 2 unchanged"))
            let removedDefault = try await browser.post("/register/defaults/remove", [("site", "demo"), ("kind", "extension"), ("value", "201")])
            #expect(removedDefault.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT count(*) FROM smdr.code_default") == ["0"])
        }
    }

    @Test func exportIsExactlyTheCLIsFile() async throws {
        try await RegisterFixture.with("viewer") { browser, firm in
            for kind in ["codes", "numbers", "defaults", "timekeepers", "plans", "rates"] {
                let cli = try await firm.succeed("register", "export", kind).standardOutput
                let page = try await browser.get("/register/\(kind).csv")
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(page.headers[.contentDisposition] == "attachment; filename=\"\(kind).csv\"")
                #expect(page.body == cli, "\(kind)")
            }
        }
    }

    @Test func clientsShowTheirMattersCodesNumbersAndStatements() async throws {
        try await RegisterFixture.with("viewer") { browser, firm in
            try await firm.importRegister(
                "numbers", ["number,match,code,blocked,note", "+441632960100,exact,4100,false,Acme switchboard", "+441632960555,exact,4100,true,Owes money"]
            )
            let page = try await browser.get("/register/clients")
            #expect(page.status == .ok)
            let table = try #require(PageText.element(page.body, id: "clients", tag: "table"))
            #expect(table.contains("<tr class=\"client\" data-client=\"ACME\">"))
            #expect(table.contains("<span class=\"id\">ACME-001</span> Supply contract"))
            #expect(table.contains("<a class=\"client-statements\" href=\"/statements?client=ACME\">statements</a>"))
            #expect(table.contains("<a class=\"client-codes\" href=\"/register/codes?client=BETA\">codes</a>"))
            #expect(table.contains("<li class=\"blocked\">+441632960555 <strong class=\"flag-blocked\">blocked</strong> <span class=\"note\">Owes money</span></li>"))
            #expect(table.contains("Beta &amp; Sons"))
            let search = try #require(PageText.element(try await browser.get("/register/clients?q=supply").body, id: "clients", tag: "table"))
            #expect(search.contains("data-client=\"ACME\"") && !search.contains("data-client=\"BETA\""))
        }
    }
}
