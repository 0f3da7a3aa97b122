import Testing

@testable import SMDRPipeline

struct SettingsSourceTests {
    private func positive(_ text: String) -> Int? { Int(text).flatMap { $0 > 0 ? $0 : nil } }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        let file = try SettingsSource.parse("SMDR_A=3\nSMDR_B=3\nSMDR_C=3\n", fileName: "smdr.env")
        let source = SettingsSource(environment: ["SMDR_A": "2", "SMDR_B": "2"], file: file, fileName: "smdr.env")
        #expect(try source.value("SMDR_A", flag: 1, default: 0, expected: "n", parse: self.positive) == 1)
        #expect(try source.value("SMDR_B", flag: nil, default: 0, expected: "n", parse: self.positive) == 2)
        #expect(try source.value("SMDR_C", flag: nil, default: 0, expected: "n", parse: self.positive) == 3)
        #expect(try source.value("SMDR_D", flag: nil, default: 4, expected: "n", parse: self.positive) == 4)
    }

    @Test func aBadValueNamesTheSettingWhatWasExpectedAndWhereItCameFrom() {
        let source = SettingsSource(environment: [:], file: ["SMDR_MAX_CONNECTIONS": "many"], fileName: "/etc/smdr.env")
        #expect(throws: SettingsError.self) {
            try source.value("SMDR_MAX_CONNECTIONS", flag: nil, default: 1, expected: "a positive integer", parse: self.positive)
        }
        do {
            _ = try source.value("SMDR_MAX_CONNECTIONS", flag: nil, default: 1, expected: "a positive integer", parse: self.positive)
        } catch {
            #expect(error.description == "SMDR_MAX_CONNECTIONS: expected a positive integer, got 'many' (from /etc/smdr.env)")
        }
    }

    @Test func parsesTheEnvironmentFileFormat() throws {
        let text = """
            # comment
              SMDR_LISTEN = 0.0.0.0:5100 \r
            SMDR_SITE_LONDON="10.1.0.0/16, 192.0.2.7"

            SMDR_EMPTY=
            """
        let values = try SettingsSource.parse(text, fileName: "f")
        #expect(values == ["SMDR_LISTEN": "0.0.0.0:5100", "SMDR_SITE_LONDON": "10.1.0.0/16, 192.0.2.7", "SMDR_EMPTY": ""])
        #expect(throws: SettingsError.self) { try SettingsSource.parse("just words\n", fileName: "f") }
    }

    @Test func listsComeFromRepeatedFlagsOrACommaSeparatedValue() {
        let source = SettingsSource(environment: ["SMDR_CONNECT": "pbx1:5000, pbx2:5000,"])
        #expect(source.list("SMDR_CONNECT", flags: []) == ["pbx1:5000", "pbx2:5000"])
        #expect(source.list("SMDR_CONNECT", flags: ["x:1"]) == ["x:1"])
        #expect(source.list("SMDR_NONE", flags: []) == [])
    }
}
