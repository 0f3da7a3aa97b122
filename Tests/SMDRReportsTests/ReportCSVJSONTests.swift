import SMDRCore
import SMDRReports
import Testing

/// `smdr report --format csv|json`: a small report and its output, written out by hand.
@Suite struct ReportCSVJSONTests {
    static func line(
        _ key: String, _ label: String, _ currency: String = "GBP", charges: Int, calls: Int, raw: Int, hours: (Int64, Int),
        fees: Int64, expenses: Int64 = 0, scale: Int = 2
    ) -> BillingReport.Line {
        BillingReport.Line(
            key: key, label: label, currency: currency, charges: charges, calls: calls, rawSeconds: raw,
            billedHours: ExactDecimal(units: hours.0, scale: hours.1), fees: ExactDecimal(units: fees, scale: scale),
            expenses: ExactDecimal(units: expenses, scale: scale)
        )
    }

    /// Two clients (one with a hostile name), one matter, one timekeeper in two currencies, two days.
    static let report = BillingReport(
        firm: Firm(name: "Roe & Co", address: [], lawFirmID: "12-3456789"),
        from: LocalDate(year: 2026, month: 4, day: 1), to: LocalDate(year: 2026, month: 4, day: 30),
        clients: [
            line("ACME", "Acme, Ltd", charges: 3, calls: 2, raw: 840, hours: (4, 1), fees: 12000, expenses: 7),
            line("EVIL", "=HYPERLINK(\"x\") <b>", "JPY", charges: 1, calls: 1, raw: 60, hours: (1, 1), fees: 3000, scale: 0),
        ],
        matters: [line("ACME/M1", "Acme, Ltd — Merger", charges: 1, calls: 1, raw: 420, hours: (2, 1), fees: 6000)],
        timekeepers: [
            line("TK1", "Jane Roe", charges: 3, calls: 2, raw: 840, hours: (4, 1), fees: 12000, expenses: 7),
            line("TK1", "Jane Roe", "JPY", charges: 1, calls: 1, raw: 60, hours: (1, 1), fees: 3000, scale: 0),
        ],
        days: [
            line("2026-04-01", "2026-04-01", charges: 3, calls: 2, raw: 840, hours: (4, 1), fees: 12000, expenses: 7),
            line("2026-04-02", "2026-04-02", "JPY", charges: 1, calls: 1, raw: 60, hours: (1, 1), fees: 3000, scale: 0),
        ],
        reviewQueueCalls: 5, reviewQueueSeconds: 1234, unratedLegs: 2, unratedSeconds: 90
    )

    @Test func csv() {
        let expected = """
            table,key,label,currency,charges,calls,legs,raw_seconds,billed_hours,fees,expenses,total\r
            client,ACME,"Acme, Ltd",GBP,3,2,,840,0.4,120.00,0.07,120.07\r
            client,EVIL,"'=HYPERLINK(""x"") <b>",JPY,1,1,,60,0.1,3000,0,3000\r
            matter,ACME/M1,"Acme, Ltd — Merger",GBP,1,1,,420,0.2,60.00,0.00,60.00\r
            timekeeper,TK1,Jane Roe,GBP,3,2,,840,0.4,120.00,0.07,120.07\r
            timekeeper,TK1,Jane Roe,JPY,1,1,,60,0.1,3000,0,3000\r
            day,2026-04-01,2026-04-01,GBP,3,2,,840,0.4,120.00,0.07,120.07\r
            day,2026-04-02,2026-04-02,JPY,1,1,,60,0.1,3000,0,3000\r
            review_queue,,,,,5,,1234,,,,\r
            unrated,,,,,,2,90,,,,\r

            """
        #expect(String(decoding: ReportCSV.bytes(Self.report), as: UTF8.self) == expected)
    }

    @Test func json() {
        let acme = #"{"key":"ACME","label":"Acme, Ltd","currency":"GBP","charges":3,"calls":2,"raw_seconds":840,"#
            + #""billed_hours":"0.4","fees":"120.00","expenses":"0.07","total":"120.07"}"#
        let jpy = #""currency":"JPY","charges":1,"calls":1,"raw_seconds":60,"billed_hours":"0.1","fees":"3000","expenses":"0","total":"3000"}"#
        let expected =
            #"{"from":"2026-04-01","to":"2026-04-30","clients":["# + acme
            + #",{"key":"EVIL","label":"=HYPERLINK(\"x\") \u003cb\u003e","# + jpy + "],"
            + #""matters":[{"key":"ACME/M1","label":"Acme, Ltd — Merger","currency":"GBP","charges":1,"calls":1,"raw_seconds":420,"#
            + #""billed_hours":"0.2","fees":"60.00","expenses":"0.00","total":"60.00"}],"#
            + #""timekeepers":["# + acme.replacing(#""key":"ACME","label":"Acme, Ltd""#, with: #""key":"TK1","label":"Jane Roe""#)
            + #",{"key":"TK1","label":"Jane Roe","# + jpy + "],"
            + #""days":["# + acme.replacing(#""key":"ACME","label":"Acme, Ltd""#, with: #""key":"2026-04-01","label":"2026-04-01""#)
            + #",{"key":"2026-04-02","label":"2026-04-02","# + jpy + "],"
            + #""review_queue":{"calls":5,"seconds":1234},"unrated":{"legs":2,"seconds":90}}"# + "\n"
        #expect(String(decoding: ReportJSON.bytes(Self.report), as: UTF8.self) == expected)
    }

    @Test func emptyReportStillSaysWhatIsUnbilled() throws {
        let empty = BillingReport(
            firm: Self.report.firm, from: Self.report.from, to: Self.report.to, clients: [], matters: [], timekeepers: [], days: [],
            reviewQueueCalls: 0, reviewQueueSeconds: 0, unratedLegs: 0, unratedSeconds: 0
        )
        #expect(
            String(decoding: ReportJSON.bytes(empty), as: UTF8.self)
                == #"{"from":"2026-04-01","to":"2026-04-30","clients":[],"matters":[],"timekeepers":[],"days":[],"#
                + #""review_queue":{"calls":0,"seconds":0},"unrated":{"legs":0,"seconds":0}}"# + "\n"
        )
        let records = try CSVReader.records(ReportCSV.bytes(empty))
        #expect(records.map(\.fields.first) == ["table", "review_queue", "unrated"])
    }
}
