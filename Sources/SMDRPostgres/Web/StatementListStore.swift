package import SMDRCore

/// The statements there are to read (the web app's `/statements`): every client and month with
/// current charges, newest month first, then by client, a page at a time.
///
/// Read from `smdr.rating_day_total` (each site day's charges summed per client, matter and
/// currency, written by the rater with the charges) joined to `smdr.rating_day` (the current run
/// of each day), never by summing `smdr.charge`: a month of a busy firm is a few thousand total
/// rows instead of hundreds of thousands of charges. Without a client filter the months are read
/// one at a time (newest first) until the page is full, so a page costs one or two months' totals
/// however many months are stored; with one, `rating_day_total_client_idx` finds that client's
/// rows.
package enum StatementListStore {
    /// One client's statement for one month.
    package struct Entry: Hashable, Sendable {
        package var clientID: String
        /// The registered name; `nil` when the client is no longer registered.
        package var clientName: String?
        /// First day of the month.
        package var month: LocalDate
        /// Calls with a fee.
        package var calls: Int
        /// Fees and expenses per currency, by currency code (two currencies are never added).
        package var amounts: [Amount]
        /// The day the month was closed (as on the statement), `nil` while it is open (a draft).
        package var closedOn: LocalDate?

        package init(clientID: String, clientName: String?, month: LocalDate, calls: Int, amounts: [Amount], closedOn: LocalDate?) {
            self.clientID = clientID
            self.clientName = clientName
            self.month = month
            self.calls = calls
            self.amounts = amounts
            self.closedOn = closedOn
        }
    }

    /// An amount in one currency.
    package struct Amount: Hashable, Sendable {
        package var currency: String
        package var amount: ExactDecimal
    }

    /// Where a page starts: after this month and client (the last entry of the page before).
    package struct Position: Hashable, Sendable {
        /// First day of the month.
        package var month: LocalDate
        package var clientID: String

        package init(month: LocalDate, clientID: String) {
            self.month = month.firstOfMonth
            self.clientID = clientID
        }
    }

    /// At most `limit` entries after `position` (from the newest when `nil`), of `clientID` only
    /// when given, newest month first and by client ID (bytewise) within a month.
    package static func entries(
        clientID: String?, after position: Position?, limit: Int, on connection: PostgresConnection
    ) throws -> [Entry] {
        guard limit > 0 else { return [] }
        let start = position ?? Position(month: Self.endOfTime, clientID: "")
        if let clientID, !clientID.isEmpty {
            return try Self.totals(from: Self.beginningOfTime, before: Self.nextMonth(start.month), clientID: clientID, after: start, limit: limit, on: connection)
        }
        // The months with rated days, newest first, from the position's month back.
        let months = try connection.execute(
            """
            SELECT DISTINCT date_trunc('month', d.charge_date)::date::text
            FROM smdr.rating_day AS d WHERE d.charge_date < $1::date ORDER BY 1 DESC
            """,
            [.text(Self.nextMonth(start.month).description)]
        ).compactMap { $0[0].string.flatMap(LocalDate.init(iso:)) }
        var entries: [Entry] = []
        for month in months {
            entries += try Self.totals(
                from: month, before: Self.nextMonth(month), clientID: nil, after: start, limit: limit - entries.count, on: connection
            )
            if entries.count >= limit { break }
        }
        return entries
    }

    /// Stands for "before every month": a position there starts at the newest.
    private static let endOfTime = LocalDate(year: 9999, month: 12, day: 1)
    private static let beginningOfTime = LocalDate(year: 1, month: 1, day: 1)

    private static func nextMonth(_ month: LocalDate) -> LocalDate {
        month.month == 12 ? LocalDate(year: month.year + 1, month: 1, day: 1) : LocalDate(year: month.year, month: month.month + 1, day: 1)
    }

    /// The entries of the local days `from` ..< `before`, after `position`, at most `limit`.
    private static func totals(
        from: LocalDate, before: LocalDate, clientID: String?, after position: Position, limit: Int, on connection: PostgresConnection
    ) throws -> [Entry] {
        let rows = try connection.execute(
            """
            SELECT g.month::text, g.client_id, cl.name, g.calls, g.totals,
                   (p.closed_at AT TIME ZONE coalesce(
                       (SELECT min(s.time_zone) FROM smdr.site AS s HAVING count(DISTINCT s.time_zone) = 1), 'UTC'))::date::text
            FROM (
                SELECT s.month, s.client_id, sum(s.calls)::bigint AS calls,
                       string_agg(s.currency || ' ' || s.amount::text, ' ' ORDER BY s.currency) AS totals
                FROM (
                    SELECT date_trunc('month', t.charge_date)::date AS month, t.client_id, t.currency,
                           sum(t.calls) AS calls, sum(t.amount) AS amount
                    FROM smdr.rating_day_total AS t
                    JOIN smdr.rating_day AS d
                      ON d.site_id = t.site_id AND d.charge_date = t.charge_date AND d.rating_run = t.rating_run
                    WHERE t.charge_date >= $1::date AND t.charge_date < $2::date AND ($3 = '' OR t.client_id = $3)
                    GROUP BY 1, 2, 3
                ) AS s
                GROUP BY s.month, s.client_id
            ) AS g
            LEFT JOIN smdr.client AS cl ON cl.client_id = g.client_id
            LEFT JOIN smdr.rating_period AS p ON p.month = g.month
            WHERE g.month < $4::date OR (g.month = $4::date AND g.client_id COLLATE "C" > $5)
            ORDER BY g.month DESC, g.client_id COLLATE "C"
            LIMIT $6
            """,
            [
                .text(from.description), .text(before.description), .text(clientID ?? ""),
                .text(position.month.description), .text(position.clientID), .int(limit),
            ]
        )
        return rows.compactMap { row in
            guard let month = row[0].string.flatMap(LocalDate.init(iso:)), let clientID = row[1].string else { return nil }
            let words = (row[4].string ?? "").split(separator: " ")
            var amounts: [Amount] = []
            var index = 0
            while index + 1 < words.count {
                if let amount = DecimalText.parse(String(words[index + 1])) {
                    amounts.append(Amount(currency: String(words[index]), amount: amount))
                }
                index += 2
            }
            return Entry(
                clientID: clientID, clientName: row[2].string, month: month, calls: row[3].int ?? 0, amounts: amounts,
                closedOn: row[5].string.flatMap(LocalDate.init(iso:))
            )
        }
    }
}
