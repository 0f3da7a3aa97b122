import Foundation
import SMDRCore
package import Testing

/// Finds the files under the repository's top-level `Fixtures/` folder, relative to this source
/// file, so tests work from any working directory.
///
/// ```swift
/// @Test(arguments: try Fixtures.files(in: "smdr/avaya"))
/// func parses(fixture: String) throws {
///     for line in try #require(Fixtures.lines(fixture)) { … }
/// }
/// ```
///
/// A missing file is reported with `Issue.record("No such fixture: …")` at the caller's source
/// location, and the accessor returns `nil`.
package enum Fixtures {
    /// An error from ``files(in:)``.
    package struct MissingDirectory: Error, CustomStringConvertible {
        package var path: String
        package var description: String { "No such fixture directory: \(self.path)" }
    }

    /// The absolute path of the `Fixtures/` folder (`<repo>/Sources/SMDRTestSupport/../../Fixtures`).
    package static let root: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)  // Fixtures.swift, SMDRTestSupport, Sources
        return components.joined(separator: "/") + "/Fixtures"
    }()

    /// The absolute path of `relativePath` under `Fixtures/`, or `nil` (and a recorded issue)
    /// when there is no such file.
    package static func path(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let path = Self.root + "/" + relativePath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            Issue.record("No such fixture: \(relativePath) (looked in \(Self.root))", sourceLocation: sourceLocation)
            return nil
        }
        return path
    }

    /// The exact bytes of a fixture, or `nil` (and a recorded issue) when it is missing.
    package static func bytes(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8]? {
        guard let path = Self.path(relativePath, sourceLocation: sourceLocation) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("Cannot read fixture: \(relativePath)", sourceLocation: sourceLocation)
            return nil
        }
        return [UInt8](data)
    }

    /// The lines of a fixture, framed by ``LineFramer`` exactly as the listener and `smdr ingest`
    /// frame them (terminators and NUL bytes removed, empty lines skipped).
    package static func lines(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[UInt8]]? {
        guard let bytes = Self.bytes(relativePath, sourceLocation: sourceLocation) else { return nil }
        var framer = LineFramer()
        var lines: [[UInt8]] = []
        framer.append(bytes) { lines.append($0.bytes) }
        if let last = framer.finish() { lines.append(last.bytes) }
        return lines
    }

    /// The fixture files directly in `directory` (relative to `Fixtures/`), as paths relative to
    /// `Fixtures/` (`smdr/avaya/call-pickup.smdr`), sorted by name; hidden files are left out.
    ///
    /// - Throws: ``MissingDirectory`` when the directory does not exist, so a parameterized test
    ///   over it fails rather than silently running no case.
    package static func files(in directory: String, withExtension pathExtension: String? = nil) throws -> [String] {
        let path = Self.root + "/" + directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            throw MissingDirectory(path: path)
        }
        return names
            .filter { !$0.hasPrefix(".") }
            .filter { name in pathExtension.map { name.hasSuffix("." + $0) } ?? true }
            .sorted()
            .map { directory + "/" + $0 }
    }
}
