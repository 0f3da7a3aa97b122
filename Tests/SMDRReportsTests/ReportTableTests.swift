import SMDRCore
import SMDRReports
import Testing

/// `smdr report --format table`: aligned by display width, harmless in a terminal, totals by hand.
@Suite struct ReportTableTests {
    /// Columns a line takes, counted by hand: the wide characters of the names below take 2.
    private static func columns(_ line: Substring) -> Int {
        let wide: Set<Character> = ["👩‍⚖️", "東", "京", "法", "律", "事", "務", "所"]
        return line.reduce(0) { $0 + (wide.contains($1) ? 2 : 1) }
    }

    private static let report: BillingReport = {
        var report = ReportFixture.report
        report.clients = [
            ReportFixture.line("C1", "👩‍⚖️ Judge & Co", seconds: 600, hours: ReportFixture.decimal(2, 1), fees: ReportFixture.decimal(6000, 2)),
            ReportFixture.line("C2", "東京法律事務所", seconds: 900, hours: ReportFixture.decimal(3, 1), fees: ReportFixture.decimal(9000, 2), expenses: ReportFixture.decimal(145, 2)),
            ReportFixture.line("C3", "Esc\u{1B}[2J\u{1B}[31mRed\u{9B}0m\tTab", "EUR", seconds: 60, hours: ReportFixture.decimal(1, 1), fees: ReportFixture.decimal(2000, 2)),
            ReportFixture.line("C4", String(repeating: "Long name ", count: 6), seconds: 30, hours: ReportFixture.decimal(0, 1), fees: ReportFixture.decimal(0, 2)),
        ]
        return report
    }()

    /// The lines of the table titled `title`, up to the blank line after it.
    private static func table(_ text: String, _ title: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: Substring(title)) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.isEmpty })
    }

    @Test func everyLineOfATableIsAsWide() {
        let text = ReportTable.text(Self.report)
        for title in ["Per client", "Per matter", "Per timekeeper", "Per day"] {
            let table = Self.table(text, title)
            #expect(table.count >= 4, "\(title)")
            let widths = Set(table.map(Self.columns))
            #expect(widths.count == 1, "\(title): \(table)")
        }
        // The numbers line up on the right: each client line ends in its total.
        let clients = Self.table(text, "Per client")
        #expect(clients[2].hasSuffix("  60.00"))
        #expect(clients[3].hasSuffix("  91.45"))
        #expect(clients[3].hasPrefix("C2      東京法律事務所"))
    }

    @Test func controlCharactersCannotMoveTheCursor() {
        let text = ReportTable.text(Self.report)
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x09 })
        #expect(text.contains("Esc?[2J?[31mRed?0m Tab"))
    }

    @Test func longLabelsAreCut() {
        let text = ReportTable.text(Self.report)
        // 40 columns: 39 of the name and the ellipsis.
        #expect(text.contains("Long name Long name Long name Long name…"))
        #expect(!text.contains("Long name Long name Long name Long name Long"))
    }

    @Test func totalsPerCurrency() {
        let clients = Self.table(ReportTable.text(Self.report), "Per client")
        let totals = clients.suffix(2).map { $0.split(separator: " ").map(String.init) }
        // EUR: C3 alone. GBP: 0.2 + 0.3 + 0.0 = 0.5 h over 600 + 900 + 30 s = 25.5 min; 60.00 + 90.00 = 150.00 + 1.45.
        #expect(totals[0] == ["Total", "EUR", "1", "1.0", "0.1", "20.00", "0.00", "20.00"])
        #expect(totals[1] == ["Total", "GBP", "3", "25.5", "0.5", "150.00", "1.45", "151.45"])
    }

    @Test func notBilledYetLines() {
        let text = ReportTable.text(ReportFixture.report)
        #expect(text.hasSuffix("Not billed yet\nReview queue: 3 calls, 12.5 minutes\nUnrated legs: 2 legs, 4.0 minutes\n"))
        #expect(text.hasPrefix("Billed time 2026-04-01 – 2026-04-30 — Smith & Jones LLP\n"))
    }
}

/// Display width and escaping, the pieces both outputs rely on.
@Suite struct TextMeasureTests {
    @Test(arguments: [
        ("abc", 3), ("東京", 4), ("👩‍⚖️", 2), ("🇬🇧", 2), ("e\u{301}", 1), ("⚖", 1), ("⚖️", 2), ("1️⃣", 2), ("ﾃ", 1), ("Ａ", 2),
    ])
    func displayWidth(_ text: String, _ width: Int) {
        #expect(TerminalText.width(text) == width)
    }

    @Test func truncatesByColumns() {
        #expect(TerminalText.truncated("東京法律事務所", maximum: 6) == "東京…")
        #expect(TerminalText.truncated("abcdef", maximum: 6) == "abcdef")
        #expect(TerminalText.truncated("abcdefg", maximum: 6) == "abcde…")
    }

    @Test func escapesHTML() {
        #expect(HTMLText.escape("<a href=\"x\">O'Brien & Co</a>") == "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/a&gt;")
        #expect(HTMLText.escape("a\u{0}b\u{1B}c\u{7F}d\u{9B}e\tf\ng") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\tf\ng")
        #expect(HTMLText.escape("é ü 👩‍⚖️ \u{A0}") == "é ü 👩‍⚖️ \u{A0}")
    }
}
