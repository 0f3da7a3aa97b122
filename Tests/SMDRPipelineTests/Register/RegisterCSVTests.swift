import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import SMDRRating
import Testing

/// Register files parsed without a database: every bad row named with its line, column and the
/// expected form.
@Suite struct RegisterCSVTests {
    static let codesHeader = "code,client_id,client_name,matter_id,matter_name,description,active,valid_from,valid_to\n"

    private static func problems(_ kind: RegisterKind, _ text: String) -> [String] {
        RegisterCSV.parse(kind, Array(text.utf8)).problems.map { $0.formatted(file: "\(kind.rawValue).csv") }
    }

    struct BadRow: Sendable, CustomTestStringConvertible {
        let kind: RegisterKind
        let row: String
        let message: String
        var testDescription: String { self.message }
    }

    static let badRows: [BadRow] = [
        BadRow(kind: .codes, row: "4100,ACME,Acme,,,,true,2026-13-01,", message: "codes.csv:2: column valid_from: 2026-13-01 is not a date; expected YYYY-MM-DD or empty"),
        BadRow(
            kind: .codes, row: "4100,ACME,Acme,,,,true,2026-02-01,2026-01-31",
            message: "codes.csv:2: column valid_to: 2026-01-31 is before valid_from 2026-02-01; expected a date on or after valid_from, or empty"
        ),
        BadRow(kind: .codes, row: "4100,,Acme,,,,true,,", message: "codes.csv:2: column client_id: empty; expected an identifier of 1 to 64 characters"),
        BadRow(
            kind: .codes, row: "41*1,ACME,Acme,,,,true,,",
            message: "codes.csv:2: column code: '41*1' has * before its end; expected an account code of 1 to 32 letters, digits, - . _ /; ? for any one character, a final * for any rest"
        ),
        BadRow(
            kind: .codes, row: "41 00,ACME,Acme,,,,true,,",
            message: "codes.csv:2: column code: '41 00' has ' '; expected an account code of 1 to 32 letters, digits, - . _ /; ? for any one character, a final * for any rest"
        ),
        BadRow(
            kind: .codes, row: "\(String(repeating: "1", count: 33)),ACME,Acme,,,,true,,",
            message: "codes.csv:2: column code: '\(String(repeating: "1", count: 33))' has 33 characters; expected an account code of 1 to 32 letters, digits, - . _ /; ? for any one character, a final * for any rest"
        ),
        BadRow(
            kind: .codes, row: "4100,ACME,Acme,,,,maybe,,",
            message: "codes.csv:2: column active: 'maybe' is not true or false; expected true or false (also yes/no, 1/0), or empty for true"
        ),
        BadRow(
            kind: .codes, row: "4100,ACME,Acme,,Lost matter,,true,,",
            message: "codes.csv:2: column matter_name: 'Lost matter' is given without a matter_id; expected empty when matter_id is empty"
        ),
        BadRow(
            kind: .codes, row: "4100,ACME,Acme,,,=cmd|' /C calc'!A0",
            message: "codes.csv:2: 6 fields; expected 9 as in the header (a comma inside a value needs quotes: \"Beta, all matters\")"
        ),
        BadRow(
            kind: .numbers, row: "01632960100,exact,4100,false,",
            message: "numbers.csv:2: column number: '01632960100' is not an E.164 number; expected E.164 with +: + and 1 to 15 digits, the first not 0 (+441632960100)"
        ),
        BadRow(
            kind: .numbers, row: "+4416329601001234,exact,4100,false,",
            message: "numbers.csv:2: column number: '+4416329601001234' is not an E.164 number; expected E.164 with +: + and 1 to 15 digits, the first not 0 (+441632960100)"
        ),
        BadRow(kind: .numbers, row: "+441632960100,starts,4100,false,", message: "numbers.csv:2: column match: 'starts' is not one of them; expected exact or prefix"),
        BadRow(
            kind: .numbers, row: "+441632960100,exact,41??,false,",
            message: "numbers.csv:2: column code: '41??' is a pattern; expected an exact registered account code (letters, digits, - . _ /; no ? or *)"
        ),
        BadRow(kind: .defaults, row: "hq,room,301,4100", message: "defaults.csv:2: column kind: 'room' is not one of them; expected extension, user or ddi"),
        BadRow(kind: .defaults, row: ",extension,301,4100", message: "defaults.csv:2: column site: empty; expected a value"),
        BadRow(
            kind: .timekeepers, row: "TK1,Dana,PT,demo,30a,",
            message: "timekeepers.csv:2: column extension: '30a' is not an extension number; expected 1 to 15 digits, or empty"
        ),
    ]

    @Test(arguments: Self.badRows)
    func badRowIsNamedWithItsLineAndColumn(_ bad: BadRow) {
        let header = bad.kind.columns.joined(separator: ",") + "\n"
        #expect(Self.problems(bad.kind, header + bad.row + "\n") == [bad.message])
    }

    @Test func everyBadRowIsReportedAndGoodRowsStillParse() {
        let text = Self.codesHeader + "4100,ACME,Acme,,,,true,,\n4101,ACME,Acme,,,,nope,,\n4102,ACME,Acme,,,,true,x,\n4103,ACME,Acme,,,,true,,\n"
        let parsed = RegisterCSV.parse(.codes, Array(text.utf8))
        #expect(parsed.problems.map(\.line) == [3, 4])
        guard case .codes(let rows) = parsed.rows else { Issue.record("not codes"); return }
        #expect(rows.map(\.value.code) == ["4100", "4103"])
    }

    @Test func duplicatesWithinAFileNameTheFirstLine() {
        let codes = Self.codesHeader + "4100,ACME,Acme,,,,true,,\n4200,ACME,Acme Ltd,,,,true,,\n4100,ACME,Acme,,,,true,,\n"
        #expect(
            Self.problems(.codes, codes) == [
                "codes.csv:3: column client_name: 'Acme Ltd' differs from 'Acme' on line 2 for client ACME; expected one name per client",
                "codes.csv:4: column code: 4100 is also on line 2; expected each code once",
            ]
        )
        let defaults = "site,kind,value,code\nhq,extension,301,4100\nhq,extension,301,4200\nhq,user,301,4200\n"
        #expect(Self.problems(.defaults, defaults) == ["defaults.csv:3: column value: site hq extension 301 is also on line 2; expected each site, kind and value once"])
        let keepers = "timekeeper_id,name,classification,site,extension,user_name\nTK1,A,,demo,301,\nTK2,B,,demo,301,\nTK3,C,,,301,\n"
        #expect(Self.problems(.timekeepers, keepers) == ["timekeepers.csv:3: column extension: extension 301 at site demo is also on line 2; expected one timekeeper per extension of a site"])
    }

    @Test func headerMayBeInAnyOrderButMustNameEveryColumnOnce() {
        let reordered = "match,number,note,blocked,code\nprefix,+4416329602,\"Beta DDI block\",yes,4200\n"
        let parsed = RegisterCSV.parse(.numbers, Array(reordered.utf8))
        #expect(parsed.problems.isEmpty)
        #expect(parsed.rows == .numbers([RegisterRow(line: 2, value: ClientNumber(number: "+4416329602", match: .prefix, code: "4200", blocked: true, note: "Beta DDI block"))]))

        #expect(
            Self.problems(.numbers, "number,match,code,blocked,notes,code\n") == [
                "numbers.csv:1: header: missing column note; unknown column 'notes'; repeated column code; expected the numbers columns number,match,code,blocked,note (in any order, each once)"
            ]
        )
        #expect(Self.problems(.numbers, "") == ["numbers.csv:1: the file is empty; expected a header row: number,match,code,blocked,note"])
    }

    @Test func unreadableFileNamesTheLine() {
        let bytes = Array((Self.codesHeader + "4100,ACME,Acme,,,,true,,\n").utf8) + [0x34, 0x32, 0xE9, 0x0A]
        #expect(
            RegisterCSV.parse(.codes, bytes).problems.map { $0.formatted(file: "codes.csv") }
                == ["codes.csv:3: not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in spreadsheets)"]
        )
        #expect(
            Self.problems(.codes, Self.codesHeader + "4100,ACME,\"Acme\n")
                == ["codes.csv:2: a quoted field starts here and has no closing quote; a quote inside a quoted field is written \"\""]
        )
    }

    @Test func hostileCellsAreKeptVerbatimAndWrittenBackIdentically() throws {
        let text = "\u{FEFF}" + Self.codesHeader.replacingOccurrences(of: "\n", with: "\r\n")
            + "4100,ACME,\"Acme \"\"Widgets\"\", Ltd\",,,\"=cmd|' /C calc'!A0\r\nsecond line\",TRUE,,\r\n"
            + "7*,ACME,\"Acme \"\"Widgets\"\", Ltd\",M1,,@SUM(A1),0,2026-01-01,2026-12-31"
        let parsed = RegisterCSV.parse(.codes, Array(text.utf8))
        #expect(parsed.problems.isEmpty)
        guard case .codes(let rows) = parsed.rows else { Issue.record("not codes"); return }
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows[0].value.clientName == "Acme \"Widgets\", Ltd" && rows[0].value.description == "=cmd|' /C calc'!A0\r\nsecond line")
        #expect(rows[1].value.matterID == "M1" && rows[1].value.matterName == "" && !rows[1].value.active)

        let written = RegisterCSV.write(parsed.rows)
        let reread = RegisterCSV.parse(.codes, written)
        #expect(reread.rows == parsed.rows && RegisterCSV.write(reread.rows) == written)
    }
}
