import Foundation
import SMDRTestSupport
import Testing

/// Byte-for-byte comparison of an output with its reviewed golden file in
/// `Fixtures/golden/expected/`.
///
/// - With `SMDR_UPDATE_GOLDEN=1` in the environment the golden is rewritten and the test fails
///   saying so: an update is never a silent pass, and the diff gets read before the next run.
/// - A missing golden fails with the command that makes it.
/// - A mismatch fails naming the first line that differs, and keeps the actual output in a
///   temporary file to diff against.
enum GoldenFile {
    static let directory = GoldenFirm.folder + "expected/"
    static let updateVariable = "SMDR_UPDATE_GOLDEN"
    static let updateCommand =
        "swift build --build-tests && SMDR_UPDATE_GOLDEN=1 swift test --skip-build --filter GoldenOutputTests"

    static var updating: Bool { ProcessInfo.processInfo.environment[Self.updateVariable] == "1" }

    /// Where a mismatching output is kept for a person to diff: `$TMPDIR/smdr-golden-actual/NAME`.
    static func actualPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("smdr-golden-actual").appendingPathComponent(name).path
    }

    /// Records an issue unless `actual` is exactly the golden `name` (or rewrites it, see above).
    static func check(_ actual: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = Self.directory + name
        if Self.updating {
            do {
                // The folder is not in Git until the first goldens are.
                try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
                try Data(actual).write(to: URL(fileURLWithPath: path))
                Issue.record(
                    "Rewrote Fixtures/golden/expected/\(name) (\(Self.updateVariable)=1): review it (git diff Fixtures/golden/expected), then run the tests again without \(Self.updateVariable)",
                    sourceLocation: sourceLocation
                )
            } catch {
                Issue.record("Cannot write \(path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else {
            let kept = Self.keep(actual, name)
            Issue.record(
                "No golden Fixtures/golden/expected/\(name): make it with `\(Self.updateCommand)` and review it by hand (this run's output: \(kept))",
                sourceLocation: sourceLocation
            )
            return
        }
        guard expected != actual else { return }
        let kept = Self.keep(actual, name)
        Issue.record(
            "Fixtures/golden/expected/\(name) differs: \(Self.firstDifference(expected, actual)). This run's output: \(kept) (diff it with the golden; if the change is meant, \(Self.updateCommand))",
            sourceLocation: sourceLocation
        )
    }

    /// Writes `bytes` to ``actualPath(_:)``; returns the path, or why it could not.
    private static func keep(_ bytes: [UInt8], _ name: String) -> String {
        let path = Self.actualPath(name)
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true
            )
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        } catch {
            return "not kept (\(error))"
        }
    }

    /// `line N: expected «…», got «…»` for the first line (LF-separated) that differs.
    static func firstDifference(_ expected: [UInt8], _ actual: [UInt8]) -> String {
        let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        func text(_ lines: [ArraySlice<UInt8>], _ index: Int) -> String {
            index < lines.count ? String(decoding: lines[index], as: UTF8.self).debugDescription : "(end of file)"
        }
        for index in 0..<max(expectedLines.count, actualLines.count)
        where index >= expectedLines.count || index >= actualLines.count || expectedLines[index] != actualLines[index] {
            return "line \(index + 1): expected \(text(expectedLines, index)), got \(text(actualLines, index))"
        }
        return "the same lines, different bytes"
    }
}
