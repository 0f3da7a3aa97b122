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
    /// Rate plans: how time is billed (DESIGN §7).
    case plans
    /// Rate assignments: which plan bills what, from when.
    case rates

    /// The CSV columns, in the order DESIGN §6 gives them (and export writes them).
    package var columns: [String] {
        switch self {
        case .codes: ["code", "client_id", "client_name", "matter_id", "matter_name", "description", "active", "valid_from", "valid_to"]
        case .numbers: ["number", "match", "code", "blocked", "note"]
        case .defaults: ["site", "kind", "value", "code"]
        case .timekeepers: ["timekeeper_id", "name", "classification", "site", "extension", "user_name"]
        case .plans:
            [
                "plan_id", "hourly_rate", "currency", "increment_seconds", "minimum_seconds", "grace_seconds", "rounding", "scope",
                "bill_hold_time", "carrier_markup_percent",
            ]
        case .rates: ["plan_id", "client_id", "matter_id", "timekeeper_id", "site", "effective_from", "effective_to"]
        }
    }

    /// The columns that together identify a row.
    package var keyColumns: [String] {
        switch self {
        case .codes: ["code"]
        case .numbers: ["number"]
        case .defaults: ["site", "kind", "value"]
        case .timekeepers: ["timekeeper_id"]
        case .plans: ["plan_id"]
        case .rates: ["plan_id", "client_id", "matter_id", "timekeeper_id", "site", "effective_from"]
        }
    }

    /// What happens to registered rows missing from a file imported with `--replace`: codes are
    /// deactivated (history refers to them), the others removed.
    package var replaceVerb: String { self == .codes ? "deactivated" : "removed" }
}
