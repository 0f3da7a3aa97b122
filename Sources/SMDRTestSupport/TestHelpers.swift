package import Logging
import SMDRJournal
package import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory under the system temp dir, removed after `body`.
package func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/smdr-listener-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let result = mkdtemp(buffer.baseAddress!) else { return nil }
        return String(cString: result)
    }
    let directory = try #require(path)
    defer { removeTree(directory) }
    return try await body(directory)
}

package func removeTree(_ path: String) {
    if let names = try? POSIX.listDirectory(path) {
        for name in names { removeTree(path + "/" + name) }
        _ = rmdir(path)
    } else {
        _ = unlink(path)
    }
}

package func testLogger(_ label: String = "smdr.test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .critical
    return logger
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes.
package func eventually(
    timeout: Duration = .seconds(10), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
}

/// A plausible 30-field SMDR record, unique per `(tag, number)`.
package func smdrLine(_ tag: String, _ number: Int) -> String {
    "2024/05/21 09:\(twoDigits(number / 60 % 60)):\(twoDigits(number % 60)),00:01:02,3,\(tag)\(number),O,0123456789,0123456789,ACCT,0,\(1_000_000 + number),0,E201,Extn201,T9001,Line 1.0,0,0,,,,,,,,,,,U,Extn201,,"
}

/// `value` with at least two digits (`7` → `07`). A function, not a `String` initializer: an
/// unlabeled `String.init` reference (`.map(String.init)`) in a test must keep meaning `String(_:)`.
package func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}

/// Compares two long line lists and reports only the first difference (never the whole lists).
package func expectSameLines(_ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual != expected else { return }
    let index = Array(zip(actual, expected)).firstIndex { $0.0 != $0.1 } ?? min(actual.count, expected.count)
    let got = index < actual.count ? actual[index] : "<none>"
    let want = index < expected.count ? expected[index] : "<none>"
    Issue.record("\(actual.count) lines, expected \(expected.count); first difference at \(index): got \"\(got.prefix(80))\", expected \"\(want.prefix(80))\"",
                 sourceLocation: sourceLocation)
}
