import Foundation
import SMDRCore
import SMDRTestSupport
import Testing

@testable import SMDRPipeline

/// `smdr parse`, run as a real process on the documentation fixtures.
///
/// The parser's reading of each example is pinned by `DocumentationExampleTests` (written by hand
/// from Avaya's explanations); here the binary must print exactly those records, exit with the
/// documented status, and report rejections on standard error.
@Suite(.timeLimit(.minutes(2)))
struct ParseCommandTests {
    static let fixtures = (try? Fixtures.files(in: "smdr/avaya", withExtension: "smdr")) ?? []

    @Test(arguments: Self.fixtures)
    func printsTheParsedRecordOfEveryLine(fixture: String) async throws {
        let path = try #require(Fixtures.path(fixture))
        let lines = try #require(Fixtures.lines(fixture))
        let result = try await TestProcess.run(TestProcess.smdrExecutable, ["parse", path])
        let formatter = RecordFormatter(format: .json)
        var expected = ""
        var rejected = 0
        for (index, line) in lines.enumerated() {
            do {
                expected += formatter.render(try SMDRParser().parse(line), line: index + 1)
            } catch {
                rejected += 1
                #expect(result.standardError.contains("\(path):\(index + 1): rejected: \(error)"))
            }
        }
        #expect(result.standardOutput == expected)
        #expect(result.status == (rejected == 0 ? 0 : 1))
        #expect(fixture.hasSuffix("elided-date.smdr") == (rejected == lines.count))
    }

    @Test func theLostIncomingCallReadsAsAvayaExplainsIt() async throws {
        let path = try #require(Fixtures.path("smdr/avaya/lost-incoming-call.smdr"))
        let result = try await TestProcess.run(TestProcess.smdrExecutable, ["parse", path])
        let first = try #require(result.standardOutput.split(separator: "\n").first)
        // "the Call duration is zero and the Continuation field is 0 … it rang for 9 seconds"
        #expect(first.contains(#""connected_seconds":0,"ring_seconds":9,"#))
        #expect(first.contains(#""is_continued":false"#))
        #expect(first.contains(#""direction":"inbound""#))
        #expect(first.contains(#""party2_device":"T9161","party2_kind":"trunk""#))
    }

    @Test func summaryCountsAndExitStatusForAMixedInput() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smdr-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("mixed.smdr").path
        let good = "2008/06/26 10:27:44,00:00:44,4,4688,O,4207,4207,,1,1000013898,0,E4688,Joe Bloggs,E4207,John Smith,0,0"
        let bad = "2008/06/26 10:27:44,00:00:44,4,4688,X,4207,4207,,1,1000013898,0,E4688,Joe Bloggs,E4207,John Smith,0,0"
        try Data((good + "\r\n" + bad + "\n\0\0" + good).utf8).write(to: URL(fileURLWithPath: file))

        let result = try await TestProcess.run(TestProcess.smdrExecutable, ["parse", "--format", "summary", file])
        #expect(result.status == 1)
        #expect(result.standardOutput.hasPrefix("lines 3, parsed 2, rejected 1\n"))
        #expect(result.standardError == "\(file):2: rejected: invalidDirection in field 5 (Direction) at byte 36\n")
    }

    @Test(arguments: [
        ["parse", "--format", "xml"],
        ["parse", "--max-line-length", "0"],
        ["generate"],
        ["generate", "--lines", "10", "--width", "16"],
        ["no-such-command"],
    ])
    func usageErrorsExitWithStatus2AndSayWhatIsExpected(arguments: [String]) async throws {
        let result = try await TestProcess.run(TestProcess.smdrExecutable, arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains("Error:") || result.standardError.contains("Usage:"))
    }

    @Test func anUnreadableFileIsAUsageError() async throws {
        let result = try await TestProcess.run(TestProcess.smdrExecutable, ["parse", "/nonexistent/capture.smdr"])
        #expect(result.status == 2)
        #expect(result.standardError == "smdr parse: cannot read '/nonexistent/capture.smdr': No such file or directory\n")
    }
}
