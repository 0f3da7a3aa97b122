import SMDRCore

/// A line of billed hours per day across the whole period, as inline SVG: one point per day
/// (a day without charges at 0), horizontal gridlines at quarters of a round maximum, the first
/// and last day and a few between labelled.
struct DayLineChart {
    static let width = 680
    static let height = 220
    static let plotLeft = 56
    static let plotSpan = 604
    static let plotTop = 10
    static let plotHeight = 180
    /// Gridlines above the zero line.
    static let gridSteps = 4

    /// Each day of the period with its hours.
    var days: [(date: LocalDate, hours: ExactDecimal)]

    /// `from` to `to`, inclusive; `lines` are the report's lines per day (`key` `YYYY-MM-DD`),
    /// one per currency, whose hours add up.
    init(from: LocalDate, to: LocalDate, lines: [BillingReport.Line]) {
        var hours: [String: ExactDecimal] = [:]
        for line in lines {
            hours[line.key] = (hours[line.key] ?? Figures.zeroHours).adding(line.billedHours)
        }
        self.days = []
        var date = from
        while date <= to {
            self.days.append((date, hours[date.description] ?? Figures.zeroHours))
            date = date.adding(days: 1)
        }
    }

    /// The axis maximum in tenths of an hour: `gridSteps` × the smallest 1, 2 or 5 × 10^k
    /// tenths that reaches the largest day (at least 0.4 h, so an empty period still has an axis).
    static func axisStep(maximumUnits: Int128) -> Int128 {
        let tenth = Int128(100_000)  // 0.1 h in ChartScale units
        let maximumTenths = max((maximumUnits + tenth - 1) / tenth, 1)
        var magnitude: Int128 = 1
        while true {
            for factor: Int128 in [1, 2, 5] where factor * magnitude * Int128(Self.gridSteps) >= maximumTenths {
                return factor * magnitude
            }
            magnitude *= 10
        }
    }

    func svg(title: String) -> HTML {
        guard !self.days.isEmpty else { return "<p class=\"note\">No days in this period.</p>\n" }
        let units = self.days.map { ChartScale.units($0.hours) }
        let step = Self.axisStep(maximumUnits: units.max() ?? 0)
        let axisMaximum = step * Int128(Self.gridSteps) * 100_000
        let bottom = Self.plotTop + Self.plotHeight
        var svg: HTML = """
            <svg viewBox="0 0 \(Self.width) \(Self.height)" width="\(Self.width)" height="\(Self.height)" role="img">\
            <title>\(title)</title>

            """
        for index in 0...Self.gridSteps {
            let y = bottom * 10 - index * Self.plotHeight * 10 / Self.gridSteps
            let label = Figures.hours(ExactDecimal(units: Int64(step) * Int64(index), scale: 1))
            svg += """
                <line class="grid" x1="\(Self.plotLeft)" y1="\(ChartScale.pixels(y))" x2="\(Self.plotLeft + Self.plotSpan)" y2="\(ChartScale.pixels(y))"/>\
                <text class="axis" x="\(Self.plotLeft - 6)" y="\(ChartScale.pixels(y + 35))" text-anchor="end">\(label) h</text>

                """
        }
        let points = self.days.indices.map { index in
            (x: self.x(index), y: bottom * 10 - ChartScale.tenths(units[index], of: axisMaximum, span: Self.plotHeight))
        }
        let labelEvery = max((self.days.count + 5) / 6, 1)
        let last = self.days.count - 1
        for (index, day) in self.days.enumerated() {
            // Every `labelEvery`-th day, and the last when it is not too close to the one before.
            guard index % labelEvery == 0 || (index == last && last % labelEvery > labelEvery / 2) else { continue }
            svg += """
                <text class="axis" x="\(ChartScale.pixels(points[index].x))" y="\(bottom + 16)" text-anchor="middle">\(day.date.description.dropFirst(5))</text>

                """
        }
        let coordinates = points.map { "\(ChartScale.pixels($0.x)),\(ChartScale.pixels($0.y))" }.joined(separator: " ")
        svg += "<polyline class=\"line\" points=\"\(coordinates)\"/>\n"
        for (index, day) in self.days.enumerated() {
            svg += """
                <circle class="point" cx="\(ChartScale.pixels(points[index].x))" cy="\(ChartScale.pixels(points[index].y))" r="2">\
                <title>\(day.date): \(Figures.hours(day.hours)) h</title></circle>

                """
        }
        svg += "</svg>\n"
        return svg
    }

    /// The x of day `index`, in tenths of a pixel; a single day sits in the middle.
    private func x(_ index: Int) -> Int {
        guard self.days.count > 1 else { return Self.plotLeft * 10 + Self.plotSpan * 5 }
        return Self.plotLeft * 10 + ChartScale.tenths(Int128(index), of: Int128(self.days.count - 1), span: Self.plotSpan)
    }
}
