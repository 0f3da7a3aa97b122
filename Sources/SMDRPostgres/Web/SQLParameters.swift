/// The parameters of a statement whose conditions are chosen at run time (the web app's
/// filters): each value is added where its condition is written and stands in the text only
/// as its placeholder (`$3`), numbered in the order added, so no value is ever part of the SQL.
struct SQLParameters {
    private(set) var values: [PostgresValue]

    /// Starts with the values of the statement's fixed placeholders (`$1` … `$n`).
    init(_ fixed: [PostgresValue] = []) {
        self.values = fixed
    }

    /// Adds `value`; returns its placeholder.
    mutating func add(_ value: PostgresValue) -> String {
        self.values.append(value)
        return "$\(self.values.count)"
    }
}
