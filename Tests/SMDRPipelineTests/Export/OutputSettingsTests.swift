import SMDRReports
import Testing

@testable import SMDRPipeline

/// The billing outputs' settings: defaults as documented, flag over environment over file, and a
/// bad value named with what is expected.
struct OutputSettingsTests {
    @Test func defaults() throws {
        let settings = try OutputSettings.resolve(flags: .init(), source: SettingsSource(environment: [:]))
        #expect(settings.firm == Firm(name: "", address: [], lawFirmID: "smdr"))
        #expect(settings.lawFirmIDIsDefault)
        #expect(settings.paper == .a4)
        #expect(settings.chromium == nil)
        #expect(settings.pdfTimeout == .seconds(60))
    }

    @Test func flagOverEnvironmentOverFile() throws {
        let source = SettingsSource(
            environment: ["SMDR_FIRM_NAME": "Dee & Eve LLP", "SMDR_PAPER": "Letter"],
            file: ["SMDR_FIRM_NAME": "ignored", "SMDR_FIRM_ADDRESS": "1 High St; London ;; EC1A 1AA", "SMDR_LAW_FIRM_ID": "12-3456789"],
            fileName: "smdr.env"
        )
        let settings = try OutputSettings.resolve(flags: .init(chromium: "/opt/chromium", pdfTimeout: "2m"), source: source)
        #expect(settings.firm == Firm(name: "Dee & Eve LLP", address: ["1 High St", "London", "EC1A 1AA"], lawFirmID: "12-3456789"))
        #expect(!settings.lawFirmIDIsDefault)
        #expect(settings.paper == .letter)
        #expect(settings.chromium == "/opt/chromium")
        #expect(settings.pdfTimeout == .seconds(120))
    }

    @Test(arguments: [
        (OutputSettings.Flags(lawFirmID: "123456789012345678901"), "--law-firm-id: expected an ID of 1 to 20 characters without | [ ] (LEDES 1998B LAW_FIRM_ID), got '123456789012345678901'"),
        (OutputSettings.Flags(lawFirmID: "a|b"), "--law-firm-id: expected an ID of 1 to 20 characters without | [ ] (LEDES 1998B LAW_FIRM_ID), got 'a|b'"),
        (OutputSettings.Flags(paper: "a5"), "--paper: expected a4 or letter, got 'a5'"),
        (OutputSettings.Flags(pdfTimeout: "0s"), "--pdf-timeout: expected a duration above 0 like 60s or 2m, got '0s'"),
        (OutputSettings.Flags(pdfTimeout: "soon"), "--pdf-timeout: expected a duration above 0 like 60s or 2m, got 'soon'"),
    ])
    func badValues(flags: OutputSettings.Flags, message: String) {
        #expect(throws: SettingsError.self) { try OutputSettings.resolve(flags: flags, source: SettingsSource(environment: [:])) }
        do {
            _ = try OutputSettings.resolve(flags: flags, source: SettingsSource(environment: [:]))
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func aBadEnvironmentValueIsNamed() {
        do {
            _ = try OutputSettings.resolve(flags: .init(), source: SettingsSource(environment: ["SMDR_PAPER": "A3"]))
            Issue.record("SMDR_PAPER=A3 was accepted")
        } catch {
            #expect("\(error)" == "SMDR_PAPER: expected a4 or letter, got 'A3'")
        }
    }
}
