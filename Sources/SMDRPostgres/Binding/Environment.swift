import Foundation

/// Reads process environment variables (one place, so the set of variables smdr looks at is easy to audit).
package enum Environment {
    package static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
