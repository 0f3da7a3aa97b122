import SMDRCore
import SMDRRating
import SMDRTestSupport
import Testing

/// Helpers for the matching tests: legs from SMDR lines as the PBX prints them, a UK site.
enum MatchingFixture {
    static let siteID = 1
    /// A UK site: country 44, national prefix 0, international 00, no outside-line digit.
    static let site = Site(
        id: siteID, name: "London", timeZone: "Europe/London", countryCode: "44", nationalPrefix: "0",
        internationalPrefix: "00"
    )

    /// Legs of SMDR lines (17 or more fields), leg ordinals counted per (Call ID, Call Start) in
    /// the given order, Call Start taken as UTC for the epoch.
    static func legs(_ lines: [String], siteID: Int = siteID) throws -> [MatchLeg] {
        try self.legs(lines.map { Array($0.utf8) }, siteID: siteID)
    }

    static func legs(_ lines: [[UInt8]], siteID: Int = siteID) throws -> [MatchLeg] {
        var ordinals: [LegKey: Int] = [:]
        return try lines.map { line in
            let record = try SMDRParser().parse(line)
            let slot = LegKey(siteID: siteID, callID: record.callID, startLocal: record.callStart, legOrdinal: 0)
            let ordinal = ordinals[slot, default: 0]
            ordinals[slot] = ordinal + 1
            return MatchLeg(
                record: record, siteID: siteID, legOrdinal: ordinal, startEpoch: Int(CivilTime.naiveSeconds(record.callStart))
            )
        }
    }

    /// Legs of an Avaya documentation fixture (`Fixtures/smdr/avaya/NAME.smdr`).
    static func fixture(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [MatchLeg] {
        try self.legs(try #require(Fixtures.lines("smdr/avaya/\(name).smdr", sourceLocation: sourceLocation)))
    }

    /// Stitches and matches `lines` against `register`.
    static func match(
        _ lines: [String], register: Register = Register(), manual: [ManualAssignment] = []
    ) throws -> [LegMatch] {
        let calls = CallStitcher().stitch(try self.legs(lines))
        return Matcher(register: register, sites: [self.site], manualAssignments: manual).match(calls)
    }

    /// One SMDR line: `start` is `YYYY/MM/DD hh:mm:ss`.
    static func line(
        _ start: String, connected: Int = 60, ring: Int = 2, caller: String, _ direction: String, called: String,
        dialled: String? = nil, account: String = "", internal isInternal: Int = 0, callID: Int = 1_000_001, continued: Bool = false,
        party1: (String, String), party2: (String, String), hold: Int = 0, park: Int = 0
    ) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let talk = "\(two(connected / 3600)):\(two(connected / 60 % 60)):\(two(connected % 60))"
        return [
            start, talk, "\(ring)", caller, direction, called, dialled ?? called, account, "\(isInternal)", "\(callID)",
            continued ? "1" : "0", party1.0, party1.1, party2.0, party2.1, "\(hold)", "\(park)",
        ].joined(separator: ",")
    }

    /// An outbound call of extension 2101 (Dana Dee) to `number` on line 1.
    static func outbound(
        _ number: String, account: String = "", start: String = "2025/03/24 10:00:00", callID: Int = 1_000_001,
        user: (String, String) = ("E2101", "Dana Dee")
    ) -> String {
        self.line(
            start, caller: String(user.0.dropFirst()), "O", called: number, account: account, callID: callID, party1: user,
            party2: ("T9001", "Line 1.0")
        )
    }

    /// An inbound call from `caller` to DDI `ddi`, answered by extension 2101 (Dana Dee).
    static func inbound(_ caller: String, ddi: String = "2101", account: String = "", start: String = "2025/03/24 10:00:00") -> String {
        self.line(
            start, caller: caller, "I", called: ddi, dialled: ddi, account: account, party1: ("E2101", "Dana Dee"),
            party2: ("T9001", "Line 1.0")
        )
    }
}

extension LocalDate {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day) }
}
