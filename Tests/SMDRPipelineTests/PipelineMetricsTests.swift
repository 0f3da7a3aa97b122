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
}
