import Foundation
import HTTPTypes
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

/// CSV import from the browser: upload → preview (the CLI's dry run, nothing changed) → apply
/// what was previewed, or 409 when it is not what was previewed.
@Suite struct RegisterImportTests {
    static let codesFile = [
        "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to",
        "4100,ACME,Acme Widgets Ltd,ACME-001,Supply contract,Acme general (renamed),true,,",
        "4200,BETA,Beta & Sons,,,\"Beta, all matters\",true,2026-01-01,",
        "4300,GAMMA,Gamma LLP,,,\"Gamma \"\"new\"\"\",true,,",
    ].joined(separator: "\r\n") + "\r\n"

    @Test func anUploadIsPreviewedWithoutChangingAnythingThenApplied() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            let form = try await browser.get("/register/import")
            #expect(form.status == .ok)
            #expect(form.body.contains("<form id=\"import-form\" class=\"register-import\" method=\"post\" action=\"/register/import/preview\" enctype=\"multipart/form-data\">"))
            let before = try await RegisterFixture.snapshot(firm)
            let preview = try await browser.postMultipart(
                "/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", Self.codesFile), ("csv", nil, ""), ("replace", nil, "on")]
            )
            #expect(preview.status == .ok)
            let table = try #require(PageText.element(preview.body, id: "preview", tag: "table"))
            #expect(table.contains("<tr class=\"add\"><td>add</td><td>code 4300</td><td class=\"num\">4</td>"))
            #expect(table.contains("<tr class=\"change\"><td>change</td><td>code 4100</td><td class=\"num\">2</td><td class=\"columns\">description</td></tr>"))
            #expect(!table.contains("code 4200"))
            #expect(preview.body.contains("<p id=\"preview-summary\" class=\"summary\">codes: dry run, nothing changed; would be 1 added, 1 changed, 0 deactivated, 1 unchanged</p>"))
            #expect(preview.body.contains("of <strong>codes.csv</strong>"))
            #expect(preview.body.contains("id=\"apply-form\""))
            #expect(try await RegisterFixture.snapshot(firm) == before)

            // The file goes back byte for byte, its CRLF line ends included.
            let file = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            #expect(Data(base64Encoded: file) == Data(Self.codesFile.utf8))
            let digest = try #require(PageText.inputValue(preview.body, name: "digest", after: "id=\"apply-form\""))
            let replace = try #require(PageText.inputValue(preview.body, name: "replace", after: "id=\"apply-form\""))
            #expect(replace == "true")
            let applied = try await browser.post(
                "/register/import/apply", [("kind", "codes"), ("replace", replace), ("file", file), ("digest", digest)]
            )
            #expect(applied.status == .seeOther)
            #expect(applied.location == "/register/codes")
            #expect(try await browser.follow(applied).body.contains("codes: 1 added, 1 changed, 0 deactivated, 1 unchanged"))
            #expect(
                try RegisterFixture.strings(firm, "SELECT code || ':' || description FROM smdr.account_code ORDER BY code")
                    == ["4100:Acme general (renamed)", "4200:Beta, all matters", "4300:Gamma \"new\""]
            )
        }
    }

    @Test func replaceShowsWhatWouldBeDeactivatedAndAPastedTextWorksToo() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/import")
            let pasted = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\r\n4200,BETA,Beta & Sons,,,\"Beta, all matters\",true,2026-01-01,\r\n"
            let preview = try await browser.postMultipart(
                "/register/import/preview", [("kind", nil, "codes"), ("file", "", ""), ("csv", nil, pasted), ("replace", nil, "on")]
            )
            let table = try #require(PageText.element(preview.body, id: "preview", tag: "table"))
            #expect(table.contains("<tr class=\"deactivate\"><td>deactivate</td><td>code 4100</td><td class=\"num\"></td><td class=\"columns\">active</td></tr>"))
            #expect(preview.body.contains("would be 0 added, 0 changed, 1 deactivated, 1 unchanged"))
            #expect(try RegisterFixture.strings(firm, "SELECT count(*) FROM smdr.account_code WHERE active") == ["2"])
            // The pasted text is kept in the form below, to change and preview again.
            #expect(preview.body.contains("spellcheck=\"false\">code,client_id"))
            let file = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            let digest = try #require(PageText.inputValue(preview.body, name: "digest", after: "id=\"apply-form\""))
            let applied = try await browser.post("/register/import/apply", [("kind", "codes"), ("replace", "true"), ("file", file), ("digest", digest)])
            #expect(applied.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT code FROM smdr.account_code WHERE active") == ["4200"])
        }
    }

    @Test func aTamperedFileOrDigestIsRefusedWith409() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/import")
            let preview = try await browser.postMultipart(
                "/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", Self.codesFile)]
            )
            let file = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            let digest = try #require(PageText.inputValue(preview.body, name: "digest", after: "id=\"apply-form\""))
            let before = try await RegisterFixture.snapshot(firm)
            let evil = Data(Self.codesFile.replacingOccurrences(of: "Gamma LLP", with: "Evil LLP").utf8).base64EncodedString()
            let attempts: [[(String, String)]] = [
                [("kind", "codes"), ("replace", "false"), ("file", evil), ("digest", digest)],
                [("kind", "codes"), ("replace", "false"), ("file", file), ("digest", String(repeating: "0", count: 64))],
                [("kind", "codes"), ("replace", "true"), ("file", file), ("digest", digest)],
                [("kind", "codes"), ("replace", "false"), ("file", file)],
                [("kind", "codes"), ("replace", "false"), ("file", "not base64!"), ("digest", digest)],
                [("kind", "codes"), ("replace", "false"), ("csv", Self.codesFile), ("digest", digest)],
            ]
            for fields in attempts {
                let page = try await browser.post("/register/import/apply", fields)
                #expect(page.status == .conflict)
                #expect(page.body.contains("The file or the register changed since the preview"))
            }
            #expect(try await RegisterFixture.snapshot(firm) == before)
        }
    }

    @Test func aFileWithABadRowShowsItsProblemsAndCannotBeApplied() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/import")
            let file = "number,match,code,blocked,note\n+441632960123,exact,4100,false,ok\n0123,maybe,4100,false,bad\n+441632960124,exact,NOPE,false,\n"
            let before = try await RegisterFixture.snapshot(firm)
            let preview = try await browser.postMultipart("/register/import/preview", [("kind", nil, "numbers"), ("file", "numbers.csv", file)])
            #expect(preview.status == .unprocessableContent)
            let problems = try #require(PageText.element(preview.body, id: "problems", tag: "div"))
            #expect(problems.contains("Nothing was changed: 3 problems."))
            #expect(problems.contains("<li>line 3: column number: &#39;0123&#39; is not an E.164 number; expected E.164 with +"))
            #expect(problems.contains("<li>line 3: column match: &#39;maybe&#39; is not one of them; expected exact or prefix</li>"))
            #expect(problems.contains("<li>line 4: column code: NOPE is not a registered code"))
            #expect(!preview.body.contains("id=\"apply-form\""))
            #expect(!preview.body.contains("/register/import/apply"))
            #expect(try await RegisterFixture.snapshot(firm) == before)
            // Neither file nor text: said so.
            let empty = try await browser.postMultipart("/register/import/preview", [("kind", nil, "numbers"), ("file", "", ""), ("csv", nil, "")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.body.contains("Choose a CSV file or paste its text"))
        }
    }

    /// Review fix 9: apply with `replace` removes only what the preview showed. A code another
    /// user adds after the preview would be deactivated unseen: apply refuses it (409), nothing
    /// changes, and a new preview shows it.
    @Test func applyRefusesWhenTheRegisterChangedSinceThePreview() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/import")
            let only4200 = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n4200,BETA,Beta & Sons,,,\"Beta, all matters\",true,2026-01-01,\n"
            let preview = try await browser.postMultipart(
                "/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", only4200), ("replace", nil, "on")]
            )
            #expect(preview.body.contains("would be 0 added, 0 changed, 1 deactivated, 1 unchanged"))
            let file = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            let digest = try #require(PageText.inputValue(preview.body, name: "digest", after: "id=\"apply-form\""))

            // Meanwhile another user registers code 4500 (the CLI here).
            let added = firm.directory + "/added.csv"
            try Data("code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n4500,ACME,Acme Widgets Ltd,,,New,true,,\n".utf8)
                .write(to: URL(fileURLWithPath: added))
            try await firm.succeed("register", "import", "codes", added)
            let before = try await RegisterFixture.snapshot(firm)

            let refused = try await browser.post("/register/import/apply", [("kind", "codes"), ("replace", "true"), ("file", file), ("digest", digest)])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("The file or the register changed since the preview"))
            #expect(try await RegisterFixture.snapshot(firm) == before)
            #expect(try RegisterFixture.strings(firm, "SELECT code FROM smdr.account_code WHERE active ORDER BY code") == ["4100", "4200", "4500"])

            // Previewed again, the file shows 4500 going too, and applies.
            let again = try await browser.postMultipart(
                "/register/import/preview", [("kind", nil, "codes"), ("file", "codes.csv", only4200), ("replace", nil, "on")]
            )
            let table = try #require(PageText.element(again.body, id: "preview", tag: "table"))
            #expect(table.contains("<td>code 4500</td>"))
            let newDigest = try #require(PageText.inputValue(again.body, name: "digest", after: "id=\"apply-form\""))
            #expect(newDigest != digest)
            let applied = try await browser.post("/register/import/apply", [("kind", "codes"), ("replace", "true"), ("file", file), ("digest", newDigest)])
            #expect(applied.status == .seeOther)
            #expect(try RegisterFixture.strings(firm, "SELECT code FROM smdr.account_code WHERE active") == ["4200"])
        }
    }

    /// Review fix 10: the web import of a file is the CLI's import of the same bytes: a CR inside
    /// a quoted cell stays a CR, and a control character survives the preview's round trip
    /// (it used to become U+FFFD in the hidden field, so apply always said 409).
    @Test func theWebImportIsTheCLIImportOfTheSameBytes() async throws {
        try await RegisterFixture.with("billing") { browser, firm in
            _ = try await browser.get("/register/import")
            let file = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n"
                + "4600,ACME,Acme Widgets Ltd,,,\"two\rlines\",true,,\n"
                + "4700,ACME,Acme Widgets Ltd,,,bell\u{07}here,true,,\n"
            let preview = try await browser.postMultipart("/register/import/preview", [("kind", nil, "codes"), ("file", "odd.csv", file)])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("would be 2 added"))
            let sent = try #require(PageText.inputValue(preview.body, name: "file", after: "id=\"apply-form\""))
            #expect(Data(base64Encoded: sent) == Data(file.utf8))
            let digest = try #require(PageText.inputValue(preview.body, name: "digest", after: "id=\"apply-form\""))
            let applied = try await browser.post("/register/import/apply", [("kind", "codes"), ("replace", "false"), ("file", sent), ("digest", digest)])
            #expect(applied.status == .seeOther)
            #expect(
                try RegisterFixture.strings(firm, "SELECT description FROM smdr.account_code WHERE code IN ('4600', '4700') ORDER BY code")
                    == ["two\rlines", "bell\u{07}here"]
            )
            // The CLI, given the same file, finds nothing to change.
            let path = firm.directory + "/odd.csv"
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
            let dryRun = try await firm.succeed("register", "import", "codes", path, "--dry-run")
            #expect(dryRun.standardOutput.contains("would be 0 added, 0 changed, 0 deactivated, 2 unchanged"), "\(dryRun.standardOutput)")
        }
    }
}
