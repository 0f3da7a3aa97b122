/// A part of the billing register that is imported and exported as one CSV file (DESIGN §6).
package enum RegisterKind: String, Hashable, Sendable, CaseIterable {
    /// Account codes and patterns, with the clients and matters they bill.
    case codes
    /// Client telephone numbers and prefixes.
    case numbers
    /// Default codes for a site's extension, user or DDI.
    case defaults
    /// Timekeepers.
    case timekeepers

    /// The CSV columns, in the order DESIGN §6 gives them (and export writes them).
    package var columns: [String] {
        switch self {
        case .codes: ["code", "client_id", "client_name", "matter_id", "matter_name", "description", "active", "valid_from", "valid_to"]
        case .numbers: ["number", "match", "code", "blocked", "note"]
        case .defaults: ["site", "kind", "value", "code"]
        case .timekeepers: ["timekeeper_id", "name", "classification", "site", "extension", "user_name"]
        }
    }

    /// The columns that together identify a row.
    package var keyColumns: [String] {
        switch self {
        case .codes: ["code"]
        case .numbers: ["number"]
        case .defaults: ["site", "kind", "value"]
        case .timekeepers: ["timekeeper_id"]
        }
    }

    /// What happens to registered rows missing from a file imported with `--replace`: codes are
    /// deactivated (history refers to them), the others removed.
    package var replaceVerb: String { self == .codes ? "deactivated" : "removed" }
}
