import Foundation
import SMDRCore
import SMDRJournal
import SMDRListener
import SMDRPostgres
import SMDRTestSupport
import SMDRWeb
import Testing

@testable import SMDRPipeline

/// The README's settings tables and the example configuration file list every setting of `serve`
/// and of the billing outputs with the default the code uses.
struct DocumentationTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func read(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every setting of `serve`, the billing outputs and the web app.
    static let allSettings = ServeConfiguration.settings + OutputSettings.settings + WebSettings.settings

    @Test(arguments: DocumentationTests.allSettings.map(\.environment))
    func readmeAndExampleConfigurationDocumentTheSetting(environment: String) throws {
        let setting = try #require(Self.allSettings.first { $0.environment == environment })
        let readme = try Self.read("README.md")
        #expect(readme.contains("| `\(setting.environment)` | `\(setting.flag)` | `\(setting.defaultValue)` |"))
        let example = try Self.read("deploy/smdr.env.example")
        #expect(example.contains("#\(setting.environment)="))
    }

    /// Every subcommand `smdr --help` lists has its own README heading (`### \`smdr NAME…`).
    @Test func everySubcommandHasAReadmeSection() async throws {
        let help = try await TestProcess.run(TestProcess.smdrExecutable, ["--help"])
        #expect(help.status == 0)
        let listed = help.standardOutput.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        // The list ends at its first empty line ("See 'smdr help <subcommand>'…" follows).
        let block = listed.drop(while: { $0 == "\n" }).components(separatedBy: "\n\n").first ?? ""
        let names = block.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(names.contains("register") && names.contains("match") && names.contains("assign"))
        let readme = try Self.read("README.md")
        for name in names {
            #expect(readme.contains("### `smdr \(name)"), "README has no section for smdr \(name)")
        }
    }

    @Test func theDocumentedDefaultsAreTheResolvedDefaults() throws {
        let configuration = try ServeConfiguration.resolve(flags: .init(), source: SettingsSource(environment: [:]))
        #expect(configuration.listen.map(\.description) == ["0.0.0.0:5100"])
        #expect(configuration.admin?.port == 9464 && configuration.admin?.host == "127.0.0.1")
        #expect(configuration.listener.maximumConnections == 1024)
        #expect(configuration.listener.maximumLineLength == 4096)
        #expect(configuration.listener.idleTimeout == .seconds(7 * 86_400))
        #expect(configuration.listener.readBufferSize == 65_536)
        #expect(configuration.listener.maximumBufferedLines == 256)
        #expect(configuration.listener.connectTimeout == .seconds(10))
        #expect(configuration.listener.reconnectBackoff.maximum == .seconds(60))
        #expect(configuration.journal.maximumBytes == 1 << 30)
        #expect(configuration.journal.segmentSize == 64 << 20)
        #expect(configuration.journal.releaseMode == .delete)
        #expect(configuration.journal.flushInterval == .milliseconds(50))
        #expect(configuration.journal.flushLines == 1000)
        #expect(configuration.loader.batchLines == 5000)
        #expect(configuration.loader.retryBackoff.maximum == .seconds(30))
        #expect(configuration.listener.shutdownGracePeriod == .seconds(10))
        #expect(configuration.database.statementTimeout == .seconds(60))
        #expect(configuration.database.keepalive == .seconds(30))
        #expect(configuration.database.healthTimeout == .seconds(2))
        #expect(configuration.siteRefreshInterval == .seconds(5))
        #expect(configuration.dataDirectory == DatabaseSelection.defaultDataDirectory(environment: [:]))
        #expect(configuration.dataDirectory.hasPrefix("/"))
    }

    @Test func flagsEnvironmentAndFileResolveWithClearErrors() throws {
        var flags = ServeConfiguration.Flags()
        flags.idleTimeout = "0"
        flags.connect = ["branch=[2001:db8::7]:5000", "198.51.100.7:5000"]
        let source = SettingsSource(
            environment: ["SMDR_JOURNAL_MAX_BYTES": "2GiB", "SMDR_ADMIN": "off"],
            file: ["SMDR_FLUSH_INTERVAL": "20ms", "SMDR_JOURNAL_MAX_BYTES": "1"],
            fileName: "smdr.env"
        )
        let configuration = try ServeConfiguration.resolve(flags: flags, source: source)
        #expect(configuration.listener.idleTimeout == .zero)
        #expect(configuration.journal.maximumBytes == 2 << 30)
        #expect(configuration.journal.flushInterval == .milliseconds(20))
        #expect(configuration.admin == nil)
        #expect(configuration.listen.isEmpty)  // connect-only: no default listener
        #expect(configuration.connect.map(\.site) == ["branch", nil])
        #expect(configuration.connect.map(\.endpoint.description) == ["[2001:db8::7]:5000", "198.51.100.7:5000"])

        var bad = ServeConfiguration.Flags()
        bad.flushInterval = "soon"
        #expect {
            try ServeConfiguration.resolve(flags: bad, source: SettingsSource(environment: [:]))
        } throws: { error in
            "\(error)" == "--flush-interval: expected a duration such as 50ms, 10s, 5m, 2h or 7d, got 'soon'"
        }
        #expect {
            try ServeConfiguration.resolve(flags: .init(), source: SettingsSource(environment: ["SMDR_MAX_CONNECTIONS": "-3"]))
        } throws: { error in
            "\(error)" == "SMDR_MAX_CONNECTIONS: expected a positive whole number, got '-3' (from environment)"
        }
        #expect {
            try ServeConfiguration.resolve(flags: .init(), source: SettingsSource(environment: ["SMDR_LISTEN": "5100"]))
        } throws: { error in
            "\(error)" == "SMDR_LISTEN: expected HOST:PORT (IPv6 as [ADDRESS]:PORT), got '5100'"
        }
    }

    @Test(arguments: [
        ("50ms", Duration.milliseconds(50)), ("10s", .seconds(10)), ("5m", .seconds(300)), ("2h", .seconds(7200)),
        ("7d", .seconds(604_800)), ("30", .seconds(30)), ("0", .zero),
    ])
    func parsesDurations(text: String, expected: Duration) {
        #expect(SettingValue.duration(text) == expected)
    }

    @Test(arguments: ["", "-1s", "1.5s", "10 s", "1w", "ms"])
    func rejectsMalformedDurations(text: String) {
        #expect(SettingValue.duration(text) == nil)
    }

    @Test(arguments: [("65536", Int64(65536)), ("64KiB", 65536), ("64MiB", 64 << 20), ("1GiB", 1 << 30), ("2G", 2 << 30)])
    func parsesSizes(text: String, expected: Int64) {
        #expect(SettingValue.size(text) == expected)
    }
}
