package import SMDRCore

/// The statements there are to read (the web app's `/statements`): every client and month with
/// current charges, newest month first, then by client, a page at a time.
///
/// Read from `smdr.rating_day_total` (each site day's charges summed per client, matter and
/// currency, written by the rater with the charges) joined to `smdr.rating_day` (the current run
/// of each day), never by summing `smdr.charge`: a month of a busy firm is a few thousand total
/// rows instead of hundreds of thousands of charges. Without a client filter the months are read
/// one at a time (newest first) until the page is full, and within a month the clients in the
/// order of `rating_day_total_client_idx`, stopping at the page's end; with a filter, the same
/// index finds that client's rows.
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
    /// when given, newest month first and by client ID (in the database's collation, as the
    /// index orders them) within a month. The closing day is ``ReportStore/closedOn(_:on:)``'s,
    /// the day the statement prints.
    package static func entries(
        clientID: String?, after position: Position?, limit: Int, on connection: PostgresConnection
    ) throws -> [Entry] {
        guard limit > 0 else { return [] }
        if let clientID, !clientID.isEmpty {
            return try Self.months(of: clientID, before: position?.month ?? Self.endOfTime, limit: limit, on: connection)
        }
        let start = position ?? Position(month: Self.endOfTime, clientID: "")
        // The months with rated days, newest first, from the position's month back: a few hundred
        // rows at most (sites × days), read whole.
        let months = try connection.execute(
            """
            SELECT DISTINCT date_trunc('month', d.charge_date)::date::text
            FROM smdr.rating_day AS d WHERE d.charge_date < $1::date ORDER BY 1 DESC
            """,
            [.text(Self.nextMonth(start.month).description)]
        ).compactMap { $0[0].string.flatMap(LocalDate.init(iso:)) }
        var entries: [Entry] = []
        for month in months {
            let after = month == start.month ? start.clientID : ""
            entries += try Self.clients(in: month, after: after, limit: limit - entries.count, on: connection)
            if entries.count >= limit { break }
        }
        return entries
    }

    /// Stands for "after every month": a position there starts at the newest.
    private static let endOfTime = LocalDate(year: 9999, month: 12, day: 1)

    private static func nextMonth(_ month: LocalDate) -> LocalDate {
        month.month == 12 ? LocalDate(year: month.year + 1, month: 1, day: 1) : LocalDate(year: month.year, month: month.month + 1, day: 1)
    }

    /// The current totals of the local days `$1` ..< `$2` joined to their day's current run.
    private static let currentTotals = """
        smdr.rating_day_total AS t
        JOIN smdr.rating_day AS d ON d.site_id = t.site_id AND d.charge_date = t.charge_date AND d.rating_run = t.rating_run
        """

    /// The amounts per currency of client `k.client_id` in local days `$1` ..< `$2`, as
    /// `GBP 12.50 EUR 3.00`: a correlated subquery, run for the page's clients only.
    private static let amountsSQL = """
        (SELECT string_agg(x.currency || ' ' || x.amount::text, ' ' ORDER BY x.currency)
         FROM (SELECT t.currency, sum(t.amount) AS amount FROM \(Self.currentTotals)
               WHERE t.client_id = k.client_id AND t.charge_date >= $1::date AND t.charge_date < $2::date
               GROUP BY t.currency) AS x)
        """

    /// One month's clients after `after` (bytewise in a C database), at most `limit`: the
    /// clients are read in index order (`rating_day_total_client_idx`) and the scan stops at
    /// the limit, so a month of ten thousand clients costs a page of them.
    private static func clients(in month: LocalDate, after: String, limit: Int, on connection: PostgresConnection) throws -> [Entry] {
        let closedOn = try ReportStore.closedOn(month, on: connection)
        return try connection.execute(
            """
            SELECT k.client_id, cl.name, k.calls, \(Self.amountsSQL)
            FROM (
                SELECT t.client_id, sum(t.calls)::bigint AS calls
                FROM \(Self.currentTotals)
                WHERE t.charge_date >= $1::date AND t.charge_date < $2::date AND d.charge_date >= $1::date AND d.charge_date < $2::date
                  AND t.client_id > $3
                GROUP BY t.client_id ORDER BY t.client_id LIMIT $4
            ) AS k
            LEFT JOIN smdr.client AS cl ON cl.client_id = k.client_id
            ORDER BY k.client_id
            """,
            [.text(month.description), .text(Self.nextMonth(month).description), .text(after), .int(limit)]
        ).compactMap { row in
            guard let clientID = row[0].string else { return nil }
            return Entry(
                clientID: clientID, clientName: row[1].string, month: month, calls: row[2].int ?? 0,
                amounts: Self.amounts(row[3].string), closedOn: closedOn
            )
        }
    }

    /// One client's months before `before` (a first day), newest first, at most `limit`: its
    /// rows found by `rating_day_total_client_idx` and summed per month and currency in one pass
    /// (a client's rows are at most days × matters × currencies).
    private static func months(of clientID: String, before: LocalDate, limit: Int, on connection: PostgresConnection) throws -> [Entry] {
        let name = try ReportStore.clientName(clientID, on: connection)
        let rows = try connection.execute(
            """
            SELECT date_trunc('month', t.charge_date)::date::text, t.currency, sum(t.calls)::bigint, sum(t.amount)::text
            FROM \(Self.currentTotals)
            WHERE t.client_id = $1 AND t.charge_date < $2::date
            GROUP BY 1, 2 ORDER BY 1 DESC, 2
            """,
            [.text(clientID), .text(before.description)]
        )
        var entries: [Entry] = []
        for row in rows {
            guard let month = row[0].string.flatMap(LocalDate.init(iso:)) else { continue }
            let amount = row[3].string.flatMap(DecimalText.parse).map { Amount(currency: row[1].string ?? "", amount: $0) }
            if entries.last?.month == month {
                entries[entries.count - 1].calls += row[2].int ?? 0
                if let amount { entries[entries.count - 1].amounts.append(amount) }
                continue
            }
            guard entries.count < limit else { break }
            entries.append(
                Entry(
                    clientID: clientID, clientName: name, month: month, calls: row[2].int ?? 0, amounts: amount.map { [$0] } ?? [],
                    closedOn: try ReportStore.closedOn(month, on: connection)
                )
            )
        }
        return entries
    }

    /// `GBP 12.50 EUR 3.00` as amounts (currency codes have no spaces).
    private static func amounts(_ text: String?) -> [Amount] {
        let words = (text ?? "").split(separator: " ")
        var amounts: [Amount] = []
        var index = 0
        while index + 1 < words.count {
            if let amount = DecimalText.parse(String(words[index + 1])) {
                amounts.append(Amount(currency: String(words[index]), amount: amount))
            }
            index += 2
        }
        return amounts
    }
}
