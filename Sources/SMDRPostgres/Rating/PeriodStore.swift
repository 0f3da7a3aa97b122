package import SMDRCore

/// Closed months (`smdr period`): once a month's statements are sent, its charges are final.
package enum PeriodStore {
    /// A closed month.
    package struct ClosedMonth: Hashable, Sendable {
        /// First day.
        package var month: LocalDate
        package var closedAt: String
        package var closedBy: String
    }

    /// Closes `month` (a first day); `false` when it was closed already.
    package static func close(_ month: LocalDate, on connection: PostgresConnection) throws -> Bool {
        !(try connection.execute(
            "INSERT INTO smdr.rating_period (month) VALUES ($1::date) ON CONFLICT (month) DO NOTHING RETURNING true",
            [.text(month.description)]
        ).isEmpty)
    }

    /// Reopens `month`; `false` when it was not closed.
    package static func reopen(_ month: LocalDate, on connection: PostgresConnection) throws -> Bool {
        !(try connection.execute("DELETE FROM smdr.rating_period WHERE month = $1::date RETURNING true", [.text(month.description)]).isEmpty)
    }

    /// Every closed month, oldest first.
    package static func closed(on connection: PostgresConnection) throws -> [ClosedMonth] {
        try connection.execute(
            "SELECT month::text, to_char(closed_at, 'YYYY-MM-DD HH24:MI:SS TZ'), closed_by FROM smdr.rating_period ORDER BY month"
        ).compactMap { row in
            guard let month = row[0].string.flatMap(LocalDate.init(iso:)) else { return nil }
            return ClosedMonth(month: month, closedAt: row[1].string ?? "", closedBy: row[2].string ?? "")
        }
    }
}
