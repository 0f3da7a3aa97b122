#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `smdr serve` reads its settings when no command-line flag gives them: the environment
/// first, then a configuration file.
///
/// Every setting has one name, its environment variable (`SMDR_MAX_CONNECTIONS`). The
/// configuration file (`--config FILE` or `SMDR_CONFIG`) uses the same names, one `NAME=value`
/// per line, `#` comments and blank lines allowed, optional quotes around the value — the format
/// of systemd's `EnvironmentFile=`, so one file serves both.
public struct SettingsSource: Sendable {
    private let environment: [String: String]
    private let file: [String: String]
    private let fileName: String?

    public init(environment: [String: String], file: [String: String] = [:], fileName: String? = nil) {
        self.environment = environment
        self.file = file
        self.fileName = fileName
    }

    /// The process environment, plus the file named by `configPath` (or `SMDR_CONFIG`) if any,
    /// read on the blocking-I/O thread pool.
    public static func load(configPath: String?) async throws -> SettingsSource {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        guard let path = configPath ?? environment["SMDR_CONFIG"] else {
            return SettingsSource(environment: environment)
        }
        let bytes = try await ByteInput.readAll(path: path)
        let file = try Self.parse(String(decoding: bytes, as: UTF8.self), fileName: path)
        return SettingsSource(environment: environment, file: file, fileName: path)
    }

    /// Parses `NAME=value` lines.
    public static func parse(_ text: String, fileName: String) throws(SettingsError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsError(
                    name: "\(fileName):\(index + 1)",
                    message: "expected NAME=value, got '\(line)'"
                )
            }
            let name = String(line[..<equals]).trimmingSpaces()
            var value = String(line[line.index(after: equals)...]).trimmingSpaces()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }

    /// The environment with the configuration file's values added where the environment has none,
    /// for code that reads settings such as `SMDR_DATABASE` or `PGHOST` from an environment.
    public var environmentWithFile: [String: String] {
        self.environment.merging(self.file) { environment, _ in environment }
    }

    /// The raw text of a setting, from the environment, else the file.
    public func text(_ name: String) -> String? {
        self.environment[name] ?? self.file[name]
    }

    /// A setting, from the flag if given, else the environment, else the file, else `defaultValue`.
    public func value<T>(
        _ name: String,
        flag: T?,
        default defaultValue: T,
        expected: String,
        parse: (String) -> T?
    ) throws(SettingsError) -> T {
        if let flag { return flag }
        guard let text = self.text(name) else { return defaultValue }
        guard let value = parse(text) else {
            let origin = self.environment[name] != nil ? "environment" : (self.fileName ?? "configuration file")
            throw SettingsError(name: name, message: "expected \(expected), got '\(text)' (from \(origin))")
        }
        return value
    }

    /// A list setting: every flag given, else the comma-separated environment/file value.
    public func list(_ name: String, flags: [String]) -> [String] {
        if !flags.isEmpty { return flags }
        guard let text = self.text(name) else { return [] }
        return text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }
}

/// A setting with a value that cannot be used.
public struct SettingsError: Error, CustomStringConvertible {
    public var name: String
    public var message: String

    package init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { "\(self.name): \(self.message)" }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return String(slice)
    }
}
