import Foundation
import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// The register refuses changes from viewers and from forms without the session's token (the
/// server refuses, whatever the page shows), and escapes what it shows.
@Suite struct RegisterSecurityTests {
    /// Every change of the register, as a viewer or a forged form would post it.
    static let changes: [(uri: String, fields: [(String, String)])] = [
        ("/register/codes/save", [("code", "4100"), ("client_id", "ACME"), ("client_name", "Hijacked"), ("active", "true")]),
        ("/register/codes/save", [("_new", "1"), ("code", "6666"), ("client_id", "ACME"), ("client_name", "Acme Widgets Ltd"), ("active", "true")]),
        ("/register/codes/remove", [("code", "4100")]),
        ("/register/numbers/remove", [("number", "+441632960100")]),
        ("/register/plans/remove", [("plan_id", "PARTNER")]),
        ("/register/rates/remove", [("plan_id", "PARTNER"), ("timekeeper_id", "TK1")]),
        ("/register/import/preview", [("kind", "codes"), ("csv", "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n")]),
        ("/register/import/apply", [("kind", "codes"), ("replace", "true"), ("csv", "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n"), ("digest", "x")]),
    ]

    @Test func aViewerReadsButEveryChangeIsRefusedAndNothingChanges() async throws {
        try await RegisterFixture.with("viewer") { browser, firm in
            #expect(try await browser.get("/register").status == .ok)
            #expect(try await browser.get("/register/clients").status == .ok)
            let list = try await browser.get("/register/codes")
            #expect(list.status == .ok)
            #expect(!list.body.contains("/register/codes/remove"))
            #expect(!list.body.contains("/register/codes/edit"))
            #expect(!list.body.contains("id=\"import-csv\""))
            for uri in ["/register/codes/new", "/register/codes/edit?code=4100", "/register/import"] {
                #expect(try await browser.get(uri).status == .forbidden, "\(uri)")
            }
            let before = try await RegisterFixture.snapshot(firm)
            for change in Self.changes {
                let page = try await browser.post(change.uri, change.fields)
                #expect(page.status == .forbidden, "\(change.uri)")
                #expect(page.body.contains("Your role (viewer) cannot do this; it needs billing."), "\(change.uri)")
            }
            // The multipart form too.
            let upload = try await browser.postMultipart("/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", "x")])
            #expect(upload.status == .forbidden)
            #expect(try await RegisterFixture.snapshot(firm) == before)
        }
    }

    @Test func aChangeWithoutTheFormsTokenIsRefusedAndNothingChanges() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/codes")
            let before = try await RegisterFixture.snapshot(firm)
            for change in Self.changes {
                #expect(try await browser.post(change.uri, change.fields, csrf: .some(nil)).status == .forbidden, "\(change.uri)")
                #expect(try await browser.post(change.uri, change.fields, csrf: "0123456789abcdef").status == .forbidden, "\(change.uri)")
            }
            let upload = try await browser.postMultipart("/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", "x")], csrf: .some(nil))
            #expect(upload.status == .forbidden)
            #expect(try await RegisterFixture.snapshot(firm) == before)
        }
    }

    static let hostileCodes = [
        "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to",
        "6100,EV\"IL<i>,<script>alert(1)</script>,M\"1,<b>matter</b>,javascript:alert(1),true,,",
    ]
    static let hostileNumbers = [
        "number,match,code,blocked,note",
        "+441632960777,exact,6100,true,\"\"\"><img src=x onerror=alert(1)>\"",
    ]

    /// Checks one page: the raw markup never appears, its escaped text does, no link runs script.
    static func expectEscaped(_ body: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!body.contains("<script>alert(1)</script>"), "\(what)", sourceLocation: sourceLocation)
        #expect(!body.contains("<img src=x"), "\(what)", sourceLocation: sourceLocation)
        #expect(!body.contains("<b>matter</b>"), "\(what)", sourceLocation: sourceLocation)
        #expect(!body.contains("EV\"IL<i>"), "\(what)", sourceLocation: sourceLocation)
        #expect(!body.lowercased().contains("href=\"javascript:"), "\(what)", sourceLocation: sourceLocation)
        #expect(!body.lowercased().contains("src=\"javascript:"), "\(what)", sourceLocation: sourceLocation)
    }

    @Test func hostileValuesAreEscapedOnListsFormsClientsAndPreview() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            try await firm.importRegister("codes", Self.hostileCodes)
            try await firm.importRegister("numbers", Self.hostileNumbers)

            let codes = try await browser.get("/register/codes")
            Self.expectEscaped(codes.body, "codes list")
            #expect(codes.body.contains("<td data-column=\"client_name\">&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
            #expect(codes.body.contains("<td data-column=\"description\">javascript:alert(1)</td>"))
            // A client id in a link is percent-encoded.
            #expect(codes.body.contains("<a href=\"/register/clients?q=EV%22IL%3Ci%3E\">EV&quot;IL&lt;i&gt;</a>"))

            let numbers = try await browser.get("/register/numbers")
            Self.expectEscaped(numbers.body, "numbers list")
            #expect(numbers.body.contains("<td data-column=\"note\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>"))
            // In an attribute (the remove button's question): escaped, quotes included.
            #expect(numbers.body.contains("data-confirm=\"Remove number +441632960777 from the register?\""))

            let codeForm = try await browser.get("/register/codes/edit?code=6100")
            Self.expectEscaped(codeForm.body, "code form")
            #expect(codeForm.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
            #expect(codeForm.body.contains("value=\"EV&quot;IL&lt;i&gt;\""))
            #expect(codeForm.body.contains("value=\"javascript:alert(1)\""))

            let numberForm = try await browser.get("/register/numbers/edit?number=%2B441632960777")
            Self.expectEscaped(numberForm.body, "number form")
            #expect(numberForm.body.contains("name=\"note\" id=\"field-note\" value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""))

            let clients = try await browser.get("/register/clients")
            Self.expectEscaped(clients.body, "clients")
            #expect(clients.body.contains("data-client=\"EV&quot;IL&lt;i&gt;\""))
            #expect(clients.body.contains("href=\"/statements?client=EV%22IL%3Ci%3E\""))
            #expect(clients.body.contains("<span class=\"note\">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</span>"))

            let overview = try await browser.get("/register?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            Self.expectEscaped(overview.body, "overview search")
            #expect(overview.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))

            // A refused form shows the hostile values it was given, escaped.
            _ = try await browser.get("/register/codes/new")
            let refused = try await browser.post(
                "/register/codes/save",
                [("_new", "1"), ("code", "<script>alert(1)</script>"), ("client_id", "X"), ("client_name", "\"><img src=x onerror=alert(1)>"), ("description", "javascript:alert(1)"), ("active", "<b>matter</b>")]
            )
            #expect(refused.status == .unprocessableContent)
            Self.expectEscaped(refused.body, "refused form")
            #expect(refused.body.contains("&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; has &#39;&lt;&#39;"))

            // The preview of a hostile file, and its apply form's hidden file.
            let file = (Self.hostileCodes + ["6200,<script>alert(1)</script>,javascript:alert(1),,,\"\"\"><img src=x onerror=alert(1)>\",true,,"]).joined(separator: "\n") + "\n"
            let preview = try await browser.postMultipart("/register/import/preview", [("kind", nil, "codes"), ("file", "<script>alert(1)</script>.csv", file)])
            #expect(preview.status == .ok)
            Self.expectEscaped(preview.body, "preview")
            #expect(preview.body.contains("of <strong>&lt;script&gt;alert(1)&lt;/script&gt;.csv</strong>"))
            let sent = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            #expect(Data(base64Encoded: sent) == Data(file.utf8))
            let pasted = try await browser.postMultipart("/register/import/preview", [("kind", nil, "codes"), ("csv", nil, file)])
            Self.expectEscaped(pasted.body, "preview of pasted text")
            #expect(pasted.body.contains("spellcheck=\"false\">code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n6100,EV&quot;IL&lt;i&gt;,&lt;script&gt;"))
        }
    }
}
