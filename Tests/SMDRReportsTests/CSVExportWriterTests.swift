import SMDRCore
import SMDRReports
import Testing

/// `smdr export --format csv`: the columns, one row written out by hand, and hostile text that
/// reads back as text a spreadsheet does not evaluate.
@Suite struct CSVExportWriterTests {
    @Test func headerAndOneRowAsWrittenByHand() throws {
        let bytes = try export([.fixture()], with: CSVExportWriter())
        let expected =
            "charge_id,rating_run,kind,site,client_id,matter_id,code,timekeeper_id,timekeeper_name,charge_date,scope,calls,legs,"
            + "raw_seconds,billed_seconds,billed_hours,hourly_rate,amount,currency,plan_id,rule,trace,client_name,matter_name,"
            + "timekeeper_classification,blocked,first_start_local,closed,call_ids,call_starts,directions,external_numbers,"
            + "external_e164,external_names,call_seconds\r\n"
            + "1,7,fee,London,ACME,,1001,TK1,Jane Roe,2026-04-01,call,1,1,420,720,0.2,300.00,60.00,GBP,standard,code,"
            + "420 s talk + 0 s hold; up to 360 s → 720 s = 0.2 h × 300.00 = 60.00,Acme Ltd,,PT,false,2026-04-01 09:00:05,false,"
            + "1000001,2026-04-01 09:00:05,I,02079460000,'+442079460000,Acme Ltd,420\r\n"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    }

    @Test func severalCallsAreJoinedInCallOrderAndNullIsEmpty() throws {
        let calls = [
            ExportCall.fixture(id: 11, seconds: 60),
            ExportCall.fixture(
                id: 12, start: LocalDateTime(year: 2026, month: 4, day: 1, hour: 10, minute: 30), direction: "O", number: "",
                e164: nil, name: "", seconds: 125
            ),
        ]
        let charge = ExportCharge.fixture(
            matterID: "M1", matterName: "Merger", timekeeperID: nil, classification: nil, rate: nil, calls: calls
        )
        let records = try CSVReader.records(try export([charge], with: CSVExportWriter()))
        let row = try #require(records.last).fields
        let cell = { (name: String) in row[CSVExportWriter.columns.firstIndex(of: name)!] }
        #expect(cell("call_ids") == "11; 12")
        #expect(cell("call_starts") == "2026-04-01 09:00:05; 2026-04-01 10:30:00")
        #expect(cell("directions") == "I; O")
        #expect(cell("external_numbers") == "02079460000; ")
        #expect(cell("external_e164") == "'+442079460000; ")
        #expect(cell("external_names") == "Acme Ltd; ")
        #expect(cell("call_seconds") == "60; 125")
        #expect(cell("timekeeper_id") == "")
        #expect(cell("timekeeper_classification") == "")
        #expect(cell("hourly_rate") == "")
        #expect(cell("matter_id") == "M1")
        #expect(cell("calls") == "2")
    }

    @Test func hostileTextReadsBackNeutralisedAndNumbersStayNumbers() throws {
        let charges = hostileTexts.enumerated().map { index, hostile in
            ExportCharge.fixture(
                id: Int64(index + 1), clientID: hostile.text, clientName: hostile.text, matterID: hostile.text, matterName: hostile.text,
                code: hostile.text, timekeeperID: hostile.text, timekeeperName: hostile.text, classification: hostile.text,
                amount: ExactDecimal(units: -250, scale: 2), trace: hostile.text,
                calls: [.fixture(direction: hostile.text, number: hostile.text, e164: hostile.text, name: hostile.text)]
            )
        }
        let records = try CSVReader.records(try export(charges, with: CSVExportWriter()))
        #expect(records.count == hostileTexts.count + 1)
        #expect(records[0].fields == CSVExportWriter.columns)
        let textColumns = [
            "client_id", "matter_id", "code", "timekeeper_id", "timekeeper_name", "trace", "client_name", "matter_name",
            "timekeeper_classification", "directions", "external_numbers", "external_e164", "external_names",
        ]
        for (index, hostile) in hostileTexts.enumerated() {
            let row = records[index + 1].fields
            try #require(row.count == CSVExportWriter.columns.count)
            let expected = hostile.neutralised ? "'" + hostile.text : hostile.text
            for column in textColumns {
                #expect(row[CSVExportWriter.columns.firstIndex(of: column)!] == expected, "\(column) of \(hostile.text.debugDescription)")
            }
            let cell = { (name: String) in row[CSVExportWriter.columns.firstIndex(of: name)!] }
            #expect(cell("charge_id") == String(index + 1))
            #expect(cell("amount") == "-2.50")
            #expect(cell("hourly_rate") == "300.00")
            #expect(cell("billed_hours") == "0.2")
            #expect(cell("charge_date") == "2026-04-01")
            #expect(cell("blocked") == "false")
        }
    }

    @Test(arguments: hostileTexts.map(\.text))
    func formulaSafePrefixesOnlyFormulaStarts(_ text: String) {
        let neutralised = hostileTexts.first { $0.text == text }!.neutralised
        #expect(CSVWriter.formulaSafe(text) == (neutralised ? "'" + text : text))
    }
}
