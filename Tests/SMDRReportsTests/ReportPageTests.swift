import SMDRCore
import SMDRReports
import Testing

/// The report page of ``ReportFixture``: chart geometry and totals worked out by hand.
@Suite struct ReportPageTests {
    private static let html = String(decoding: ReportPage.html(ReportFixture.report, paper: .a4), as: UTF8.self)

    /// The SVG of the figure captioned `caption`.
    private static func chart(_ caption: String) -> Substring {
        guard let start = Self.html.firstRange(of: "<figcaption>\(caption)</figcaption>"),
            let end = Self.html[start.upperBound...].firstRange(of: "</svg>")
        else { return "" }
        return Self.html[start.upperBound..<end.upperBound]
    }

    @Test func oneBarPerClientProportionalToHours() {
        let chart = Self.chart("Billed hours per client")
        #expect(chart.ranges(of: "<rect").count == 2)
        // C1 2.0 h is the largest: the full 400 px; C2 0.25 h GBP + 0.25 h EUR = 0.5 h: 100 px.
        #expect(chart.contains("<rect class=\"bar\" x=\"200\" y=\"2\" width=\"400.0\" height=\"14\"/>"))
        #expect(chart.contains("<rect class=\"bar\" x=\"200\" y=\"22\" width=\"100.0\" height=\"14\"/>"))
        #expect(chart.contains("<title>Acme Ltd: 2.0 h</title>"))
        #expect(chart.contains("<title>Beta plc: 0.50 h</title>"))
    }

    @Test func fifteenTimekeepersAndTheRestAsOther() {
        let chart = Self.chart("Billed hours per timekeeper")
        #expect(chart.ranges(of: "<rect").count == 16)
        // T01 1.7 h: 400 px; T16 0.2 h + T17 0.1 h = 0.3 h: 0.3 / 1.7 × 400 = 70.59 px.
        #expect(chart.contains("<title>Keeper T01: 1.7 h</title>"))
        #expect(chart.contains("width=\"400.0\""))
        #expect(chart.contains("<title>Other (2): 0.3 h</title>"))
        #expect(chart.contains("<rect class=\"bar other\" x=\"200\" y=\"302\" width=\"70.6\" height=\"14\"/>"))
        #expect(!chart.contains("Keeper T16"))
    }

    @Test func aLineWithOnePointPerDay() throws {
        let chart = Self.chart("Billed hours per day")
        let start = try #require(chart.firstRange(of: "<polyline class=\"line\" points=\""))
        let end = try #require(chart[start.upperBound...].firstIndex(of: "\""))
        let points = chart[start.upperBound..<end].split(separator: " ")
        #expect(points.count == 30)
        // Largest day 1.5 h → gridlines every 0.5 h up to 2.0 h over 180 px, x from 56 to 660 px.
        // 04-01: nothing, at the left on the zero line; 04-02 (day 1 of 29 gaps): x = 56 + 604/29 =
        // 76.8, y = 190 − 1.5/2.0 × 180 = 55.0; 04-10: 0.5 h GBP + 0.25 h EUR = 0.75 h, x = 56 +
        // 9 × 604/29 = 243.4, y = 190 − 67.5 = 122.5; 04-30 at the right.
        #expect(points[0] == "56.0,190.0")
        #expect(points[1] == "76.8,55.0")
        #expect(points[9] == "243.4,122.5")
        #expect(points[29] == "660.0,190.0")
        #expect(chart.contains(">2.0 h</text>"))
        #expect(chart.contains(">0.5 h</text>"))
        #expect(chart.contains("<title>2026-04-10: 0.75 h</title>"))
        #expect(chart.ranges(of: "<line class=\"grid\"").count == 5)
    }

    @Test func tablesWithTotalsPerCurrency() {
        // GBP: 2.0 + 0.25 = 2.25 h over 1440 + 600 s = 34.0 min; 600.00 + 75.00 = 675.00 fees + 1.45.
        #expect(
            PageText.rows(Self.html, after: "<h2>Per client") == [
                [],
                ["C1", "Acme Ltd", "GBP", "2", "24.0", "2.0", "600.00", "1.45", "601.45"],
                ["C2", "Beta plc", "EUR", "1", "10.0", "0.25", "50.00", "0.00", "50.00"],
                ["C2", "Beta plc", "GBP", "1", "10.0", "0.25", "75.00", "0.00", "75.00"],
                ["Total", "EUR", "1", "10.0", "0.25", "50.00", "0.00", "50.00"],
                ["Total", "GBP", "3", "34.0", "2.25", "675.00", "1.45", "676.45"],
            ])
        // T01…T17: 1.7 + 1.6 + … + 0.1 = 15.3 h at 100.00 = 1530.00, 153 × 360 s = 918.0 min.
        #expect(PageText.rows(Self.html, after: "<h2>Per timekeeper").last == ["Total", "GBP", "17", "918.0", "15.3", "1530.00", "0.00", "1530.00"])
        #expect(
            PageText.rows(Self.html, after: "<h2>Per day") == [
                [],
                ["2026-04-02", "GBP", "2", "83.3", "1.5", "450.00", "0.00", "450.00"],
                ["2026-04-10", "EUR", "1", "10.0", "0.25", "50.00", "0.00", "50.00"],
                ["2026-04-10", "GBP", "1", "30.0", "0.5", "150.00", "0.00", "150.00"],
                ["Total", "EUR", "1", "10.0", "0.25", "50.00", "0.00", "50.00"],
                ["Total", "GBP", "3", "113.3", "2.0", "600.00", "0.00", "600.00"],
            ])
    }

    @Test func notBilledYet() {
        // 750 s = 12.5 min in the queue; 240 s = 4.0 min unrated.
        #expect(PageText.rows(Self.html, after: "<h3>Not billed yet") == [["3 calls", "12.5 minutes"], ["2 legs", "4.0 minutes"]])
    }

    @Test func sameReportSameBytes() {
        #expect(ReportPage.html(ReportFixture.report, paper: .letter) == ReportPage.html(ReportFixture.report, paper: .letter))
        #expect(String(decoding: ReportPage.html(ReportFixture.report, paper: .letter), as: UTF8.self).contains("size: letter;"))
    }
}
