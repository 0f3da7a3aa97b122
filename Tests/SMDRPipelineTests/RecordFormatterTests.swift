import SMDRCore
import Testing

@testable import SMDRPipeline

struct RecordFormatterTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("O'Brien \"Bob\"", #""O'Brien \"Bob\"""#),
        ("back\\slash\ttab\r\n", #""back\\slash\ttab\r\n""#),
        ("\u{1}bell\u{7F}", #""\u0001bell\u007f""#),
        ("Тароватова М", "\"Тароватова М\""),
    ])
    func escapesJSONStrings(text: String, expected: String) {
        var out = ""
        RecordFormatter.appendJSONString(text, to: &out)
        #expect(out == expected)
    }

    @Test(arguments: [
        ("Extn201", "Extn201"),
        ("Line 1.2", "Line 1.2"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
    ])
    func makesSpreadsheetSafeCSVCells(text: String, expected: String) {
        #expect(RecordFormatter.csvCell(text) == expected)
    }

    @Test func rendersEveryColumnOfARecordAsJSON() {
        let record = CallRecord(
            callStart: LocalDateTime(year: 2008, month: 6, day: 28, hour: 9, minute: 28, second: 41),
            ringSeconds: 9,
            caller: "8004206",
            callerNumber: "8004206",
            direction: .inbound,
            isInternal: false,
            callID: 1_000_014_155,
            callCharge: ExactDecimal(units: 618, scale: 4),
            fieldCount: 17
        )
        let json = RecordFormatter(format: .json).render(record, line: 3)
        #expect(json.hasPrefix(#"{"line":3,"call_start":"2008-06-28 09:28:41","connected_seconds":0,"ring_seconds":9,"#))
        #expect(json.contains(#""direction":"inbound""#))
        #expect(json.contains(#""is_internal":false"#))
        #expect(json.contains(#""call_charge":"0.0618""#))
        #expect(json.contains(#""caller_host":null"#))
        #expect(json.hasSuffix(#""field_count":17,"flags":[]}"# + "\n"))
        for column in RecordColumn.all { #expect(json.contains("\"\(column.name)\":")) }
    }

    @Test func csvHasAHeaderAndOneRowPerRecordWithTheSameColumnCount() throws {
        let formatter = RecordFormatter(format: .csv)
        let header = try #require(formatter.header)
        let record = CallRecord(callStart: LocalDateTime(year: 2024, month: 1, day: 2, hour: 3, minute: 4))
        let row = formatter.render(record, line: 1)
        #expect(header.split(separator: ",").count == RecordColumn.all.count + 1)
        #expect(row.split(separator: ",", omittingEmptySubsequences: false).count == RecordColumn.all.count + 1)
        #expect(row.hasPrefix("1,2024-01-02 03:04:00,0,0,"))
    }
}
