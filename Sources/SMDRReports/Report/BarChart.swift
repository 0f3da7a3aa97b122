import SMDRCore

/// Horizontal bars of billed hours per client or timekeeper, as inline SVG: the largest
/// ``maximumBars`` and the rest summed as one "Other" bar, each bar's width proportional to its
/// hours (the largest spans ``barSpan`` pixels). `smdr report --html` and the web app's
/// dashboard draw it.
package struct BarChart {
    struct Bar: Equatable {
        var label: String
        var hours: ExactDecimal
        var isOther: Bool
    }

    static let maximumBars = 15
    static let width = 680
    /// Where the bars start; labels end just left of it.
    static let barLeft = 200
    static let barSpan = 400
    static let rowHeight = 20
    static let barHeight = 14
    /// Labels are cut to fit the space left of the bars.
    static let labelWidth = 30

    var bars: [Bar]

    /// Hours per key (the lines of one key in several currencies added up: hours are), largest
    /// first, ties by key; beyond ``maximumBars`` the rest as "Other (n)".
    package init(_ lines: [BillingReport.Line]) {
        var keyed: [(key: String, bar: Bar)] = []
        var positions: [String: Int] = [:]
        for line in lines {
            if let position = positions[line.key] {
                keyed[position].bar.hours = keyed[position].bar.hours.adding(line.billedHours)
            } else {
                positions[line.key] = keyed.count
                let label = line.label.isEmpty ? (line.key.isEmpty ? "(none)" : line.key) : line.label
                keyed.append((line.key, Bar(label: label, hours: line.billedHours, isOther: false)))
            }
        }
        let ranked = keyed.map { (key: $0.key, units: ChartScale.units($0.bar.hours), bar: $0.bar) }.sorted {
            $0.units != $1.units ? $0.units > $1.units : $0.key < $1.key
        }
        self.bars = ranked.prefix(Self.maximumBars).map(\.bar)
        let rest = ranked.dropFirst(Self.maximumBars)
        if !rest.isEmpty {
            let hours = ExactDecimal.sum(rest.map(\.bar.hours), scale: 1)
            self.bars.append(Bar(label: "Other (\(rest.count))", hours: hours, isOther: true))
        }
    }

    /// The chart; `title` names it for screen readers and as the SVG's tooltip.
    package func svg(title: String) -> HTML {
        guard !self.bars.isEmpty else { return "<p class=\"note\">No billed time in this period.</p>\n" }
        let maximum = self.bars.map { ChartScale.units($0.hours) }.max() ?? 0
        let height = self.bars.count * Self.rowHeight + 4
        var svg: HTML = """
            <svg viewBox="0 0 \(Self.width) \(height)" width="\(Self.width)" height="\(height)" role="img">\
            <title>\(title)</title>

            """
        for (index, bar) in self.bars.enumerated() {
            let top = index * Self.rowHeight + 2
            let barWidth = ChartScale.tenths(ChartScale.units(bar.hours), of: maximum, span: Self.barSpan)
            let hours = Figures.hours(bar.hours)
            let label = TerminalText.truncated(bar.label, maximum: Self.labelWidth)
            let barClass: HTML = bar.isOther ? "bar other" : "bar"
            let valueX = Self.barLeft * 10 + barWidth + 40
            svg += """
                <g><title>\(bar.label): \(hours) h</title>\
                <text x="\(Self.barLeft - 6)" y="\(top + 11)" text-anchor="end">\(label)</text>\
                <rect class="\(barClass)" x="\(Self.barLeft)" y="\(top)" width="\(ChartScale.pixels(barWidth))" height="\(Self.barHeight)"/>\
                <text class="axis" x="\(ChartScale.pixels(valueX))" y="\(top + 11)">\(hours) h</text></g>

                """
        }
        svg += "</svg>\n"
        return svg
    }
}
