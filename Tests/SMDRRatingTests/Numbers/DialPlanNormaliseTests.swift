import SMDRCore
import SMDRRating
import Testing

/// The project's own cases (DESIGN §6, smdr-format.md §8), written by hand.
@Suite struct DialPlanNormaliseTests {
    static let uk = DialPlan(countryCode: "44", nationalPrefix: "0", internationalPrefix: "00", trunkAccessCode: "9")
    static let ukWithoutAccessCode = DialPlan(countryCode: "44", nationalPrefix: "0", internationalPrefix: "00")
    static let us = DialPlan(countryCode: "1", nationalPrefix: "1", internationalPrefix: "011", trunkAccessCode: "9")
    static let russia = DialPlan(countryCode: "7", nationalPrefix: "8", internationalPrefix: "810")
    static let unknown = DialPlan(countryCode: "", nationalPrefix: "", internationalPrefix: "00")

    @Test(arguments: [
        // The contract's example: a UK site dials a client nationally, and the client calls in.
        (Self.ukWithoutAccessCode, Direction.outbound, "01632960100", ExternalNumber.e164("+441632960100")),
        (Self.ukWithoutAccessCode, .inbound, "01632960233", .e164("+441632960233")),
        // CLI as the national significant number, and the SIP caller's user part.
        (Self.uk, .inbound, "1632960233", .e164("+441632960233")),
        (Self.uk, .inbound, "01632960233@192.0.2.10", .e164("+441632960233")),
        (Self.uk, .inbound, "+441632960233@sip.example.net", .e164("+441632960233")),
        (Self.uk, .outbound, "901632960100", .e164("+441632960100")),
        (Self.uk, .outbound, "9 00 1 202 555 0123#", .e164("+12025550123")),
        (Self.uk, .outbound, "00901#", .unusable),
        // US: 10 digits, 1 + 10 digits, 011 abroad, 9 for a line.
        (Self.us, .inbound, "2025550123", .e164("+12025550123")),
        (Self.us, .inbound, "12025550123", .e164("+12025550123")),
        (Self.us, .inbound, "9145661757@172.16.2.10", .e164("+19145661757")),  // a SIP caller seen in a capture
        (Self.us, .outbound, "912025550123", .e164("+12025550123")),
        (Self.us, .outbound, "9011441632960100", .e164("+441632960100")),
        (Self.us, .outbound, "5550123", .unusable),  // a local number has no E.164 form
        // Russia: 8 for national, 810 abroad.
        (Self.russia, .outbound, "8 495 123-45-67", .e164("+74951234567")),
        (Self.russia, .outbound, "810441632960100", .e164("+441632960100")),
        // No country code configured: only `+` and international forms.
        (Self.unknown, .inbound, "01632960100", .unusable),
        (Self.unknown, .inbound, "00441632960100", .e164("+441632960100")),
        (Self.unknown, .inbound, "+1 (202) 555-0123", .e164("+12025550123")),
        // A country code written with its `+` in the site's settings still counts.
        (DialPlan(countryCode: "+44", nationalPrefix: "0", internationalPrefix: "00"), .inbound, "01632960100",
         .e164("+441632960100")),
    ])
    func normalises(plan: DialPlan, direction: Direction, raw: String, expected: ExternalNumber) {
        #expect(plan.normalise(raw, direction: direction) == expected)
    }

    @Test(arguments: [
        "", "  ", "anonymous@anonymous.invalid", "anonymous@192.0.2.1", "WITHHELD", "Withheld", "anonymous",
        "Private", "unknown", "@192.0.2.10",
    ])
    func withheldNeverMatches(raw: String) {
        for direction in [Direction.inbound, .outbound] {
            #expect(Self.uk.normalise(raw, direction: direction) == .withheld)
            #expect(Self.uk.normalise(raw, direction: direction).e164 == nil)
        }
    }

    @Test(arguments: ["*47", "#AA:Night AA", "*99*243#", "*", "#"])
    func serviceCodesNeverMatch(raw: String) {
        #expect(Self.uk.normalise(raw, direction: .outbound) == .serviceCode)
    }

    @Test(arguments: ["xfer", "VoiceMail", "?NAME", "Voice Mail", "1", "0", "00", "+", "+44", "16329601001234567890123456789012345"])
    func anythingElseIsUnusable(raw: String) {
        #expect(Self.uk.normalise(raw, direction: .inbound) == .unusable)
    }

    /// The trunk access code is only taken off dialled numbers, and only when a number follows.
    @Test func trunkAccessCodeOnlyOnOutbound() {
        #expect(Self.uk.normalise("901632960100", direction: .inbound) == .unusable)
        // A US number whose area code starts with the access code, dialled without it.
        #expect(Self.us.normalise("9075550123", direction: .outbound) == .e164("+19075550123"))
    }

    /// Only ASCII digits are digits: full-width digits and control bytes make a number unusable.
    @Test func nonASCIIInputIsUnusable() {
        #expect(Self.uk.normalise("０１６３２９６０１００", direction: .inbound) == .unusable)
        #expect(Self.uk.normalise("01632 960100\u{8}", direction: .inbound) == .unusable)
    }
}
