import SMDRCore
import SMDRReports
import Testing

/// `smdr export --format jsonl` and the JSON writer under it: every line parses strictly back to
/// the original strings; amounts are strings; nothing from outside breaks a line or a page.
@Suite struct JSONLinesExportWriterTests {
    @Test func escapesAsDocumented() {
        var bytes: [UInt8] = []
        JSONWriter.appendString("a\"b\\c\n\r\t\u{01}\u{1F}<>&\u{2028}\u{2029}é👩‍⚖️/'", to: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #""a\"b\\c\n\r\t\u0001\u001f\u003c\u003e\u0026\u2028\u2029é👩‍⚖️/'""#
        )
    }

    @Test func oneChargeAsWrittenByHand() throws {
        let bytes = try export([.fixture(matterID: "M1", matterName: "Merger")], with: JSONLinesExportWriter())
        let expected =
            #"{"charge_id":1,"rating_run":7,"kind":"fee","site":"London","client_id":"ACME","matter_id":"M1","code":"1001","#
            + #""timekeeper_id":"TK1","timekeeper_name":"Jane Roe","charge_date":"2026-04-01","scope":"call","calls":1,"legs":1,"#
            + #""raw_seconds":420,"billed_seconds":720,"billed_hours":"0.2","hourly_rate":"300.00","amount":"60.00","currency":"GBP","#
            + #""plan_id":"standard","rule":"code","trace":"420 s talk + 0 s hold; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00","#
            + #""client_name":"Acme Ltd","matter_name":"Merger","timekeeper_classification":"PT","blocked":false,"#
            + #""first_start_local":"2026-04-01 09:00:05","closed":false,"call_details":[{"call_id":1000001,"#
            + #""start":"2026-04-01 09:00:05","direction":"I","external_number":"02079460000","external_e164":"+442079460000","#
            + #""external_name":"Acme Ltd","seconds":420}]}"# + "\n"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test func hostileLinesParseBackToTheOriginalStrings() throws {
        let charges = hostileTexts.enumerated().map { index, hostile in
            ExportCharge.fixture(
                id: Int64(index + 1), clientName: hostile.text, matterID: nil, timekeeperID: nil, timekeeperName: hostile.text,
                classification: nil, rate: nil, amount: ExactDecimal(units: 101, scale: 0), currency: "JPY", trace: hostile.text,
                blocked: true, calls: [.fixture(e164: nil, name: hostile.text), .fixture(id: 2, name: "second")]
            )
        }
        let bytes = try export(charges, with: JSONLinesExportWriter())
        #expect(!bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: "\r")))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == charges.count + 1)
        #expect(lines.last == "")
        for (index, hostile) in hostileTexts.enumerated() {
            let object = try JSONValue.parse(String(lines[index]))
            #expect(object.keys == Array(CSVExportWriter.columns.prefix(through: CSVExportWriter.columns.firstIndex(of: "closed")!)) + ["call_details"])
            #expect(object["charge_id"] == .number(String(index + 1)))
            #expect(object["client_name"] == .string(hostile.text))
            #expect(object["timekeeper_name"] == .string(hostile.text))
            #expect(object["trace"] == .string(hostile.text))
            #expect(object["amount"] == .string("101"))
            #expect(object["billed_hours"] == .string("0.2"))
            #expect(object["hourly_rate"] == .null)
            #expect(object["matter_id"] == .null)
            #expect(object["timekeeper_id"] == .null)
            #expect(object["blocked"] == .bool(true))
            guard case .array(let calls) = try #require(object["call_details"]) else {
                Issue.record("call_details is not an array")
                continue
            }
            #expect(calls.count == 2)
            #expect(calls.first?["external_name"] == .string(hostile.text))
            #expect(calls.first?["external_e164"] == .null)
            #expect(calls.first?["seconds"] == .number("420"))
            #expect(calls.last?["external_name"] == .string("second"))
        }
    }
}
