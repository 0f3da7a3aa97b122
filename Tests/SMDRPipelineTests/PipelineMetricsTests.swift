import SMDRJournal
import SMDRListener
import Testing

@testable import SMDRPipeline

struct PipelineMetricsTests {
    @Test func rendersCountersAndGaugesWithHelpAndLabels() {
        let metrics = PipelineMetrics()
        metrics.linesJournaled(3, site: "london", at: 1_700_000_000)
        metrics.linesJournaled(2, site: "london", at: 1_700_000_001)
        metrics.linesRejected(1, code: "invalidDate", site: "london")
        metrics.connectionOpened(mode: "listen")
        metrics.connectionOpened(mode: "connect")
        metrics.connectionClosed()
        metrics.journalBytes(4096, site: "london")
        metrics.journalLines(20, site: "london")
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains("# HELP smdr_lines_received_total Lines received and durably journaled."))
        #expect(text.contains(#"smdr_lines_received_total{site="london"} 5"#))
        #expect(text.contains(#"smdr_lines_rejected_total{site="london",code="invalidDate"} 1"#))
        #expect(text.contains("smdr_connections_open 1"))
        #expect(text.contains(#"smdr_journal_depth_lines{site="london"} 20"#))
        #expect(text.contains(#"smdr_last_line_timestamp_seconds{site="london"} 1700000001"#))
    }

    /// Issue 8, 1.6: the lag is the age of the oldest line not yet loaded, at scrape time, so it
    /// grows while nothing loads; journal-full is per site.
    @Test func lagGrowsUntilTheOldestLineIsLoadedAndJournalFullIsPerSite() async throws {
        let metrics = PipelineMetrics()
        let now = Double(JournalTimestamp.now().microsecondsSince1970) / 1e6
        metrics.oldestUnloadedLine(receivedAt: now - 5, site: "london")
        metrics.oldestUnloadedLine(receivedAt: nil, site: "paris")
        metrics.journalFull(true, site: "london")
        metrics.journalFull(false, site: "paris")
        let first = try #require(Self.value(#"smdr_load_lag_seconds{site="london"}"#, in: metrics.render()))
        #expect(first >= 5 && first < 60)
        try await Task.sleep(for: .milliseconds(1100))
        let second = try #require(Self.value(#"smdr_load_lag_seconds{site="london"}"#, in: metrics.render()))
        #expect(second >= first + 1)
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains(#"smdr_load_lag_seconds{site="paris"} 0.0"#))
        #expect(text.contains(#"smdr_journal_full{site="london"} 1.0"#))
        #expect(text.contains(#"smdr_journal_full{site="paris"} 0.0"#))
        metrics.oldestUnloadedLine(receivedAt: nil, site: "london")
        #expect(Self.value(#"smdr_load_lag_seconds{site="london"}"#, in: metrics.render()) == 0)
    }

    private static func value(_ metric: String, in bytes: [UInt8]) -> Double? {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(metric + " ") }
            .flatMap { Double($0.dropFirst(metric.count + 1)) }
    }
}
