import SMDRCore
package import SMDRRating

/// The register as the web app's pages read it: counts, one page of a kind's rows (searched,
/// filtered by client, in export's order), one row by its key, and the clients with their
/// matters, codes and numbers. Rows come back as the register model (``RegisterRows``), read
/// by the same decoders as `smdr register export`, so a form shows exactly what export writes.
///
/// Every read is bounded: a page is `LIMIT`ed in SQL (one row more than asked, so the caller
/// knows whether there is a next page), and the clients page caps each client's lists.
package enum RegisterBrowseStore {
    /// How many rows each kind of the register has, and the clients and matters the codes file gave.
    package struct Counts: Hashable, Sendable {
        package var rows: [RegisterKind: Int]
        package var clients: Int
        package var matters: Int
        package var blockedNumbers: Int
        package var inactiveCodes: Int
    }

    /// A client as the clients page shows it: its matters, codes and numbers, each list capped.
    package struct Client: Hashable, Sendable {
        package struct Matter: Hashable, Sendable {
            package var matterID: String
            package var name: String
        }

        package var clientID: String
        package var name: String
        /// At most the cap given to ``clients(search:offset:limit:listLimit:on:)``, by id.
        package var matters: [Matter] = []
        package var codes: [AccountCode] = []
        package var numbers: [ClientNumber] = []
        /// Whether a list has more rows than shown.
        package var moreMatters = false
        package var moreCodes = false
        package var moreNumbers = false
    }

    package static func counts(on connection: PostgresConnection) throws -> Counts {
        let row = try connection.execute(
            """
            SELECT (SELECT count(*) FROM smdr.account_code), (SELECT count(*) FROM smdr.client_number),
                (SELECT count(*) FROM smdr.code_default), (SELECT count(*) FROM smdr.timekeeper),
                (SELECT count(*) FROM smdr.rate_plan), (SELECT count(*) FROM smdr.rate_assignment),
                (SELECT count(*) FROM smdr.client), (SELECT count(*) FROM smdr.matter),
                (SELECT count(*) FROM smdr.client_number WHERE blocked), (SELECT count(*) FROM smdr.account_code WHERE NOT active)
            """
        )[0]
        let kinds: [RegisterKind] = [.codes, .numbers, .defaults, .timekeepers, .plans, .rates]
        var rows: [RegisterKind: Int] = [:]
        for (index, kind) in kinds.enumerated() { rows[kind] = row[index].int ?? 0 }
        return Counts(
            rows: rows, clients: row[6].int ?? 0, matters: row[7].int ?? 0, blockedNumbers: row[8].int ?? 0,
            inactiveCodes: row[9].int ?? 0
        )
    }

    /// How many rows of each kind have `search` in a column (as ``page(_:search:client:offset:limit:on:)``
    /// finds them), and how many clients (as ``clients(search:offset:limit:listLimit:on:)``).
    package static func matching(search: String, on connection: PostgresConnection) throws -> Counts {
        var rows: [RegisterKind: Int] = [:]
        for kind in RegisterKind.allCases {
            let spec = RegisterStore.Spec.of(kind)
            rows[kind] = try connection.execute(
                "SELECT count(*) FROM (\(spec.currentSQL)) AS cur WHERE \(Self.searchCondition(kind, parameter: 1))", [.text(search)]
            )[0][0].int ?? 0
        }
        let clients = try connection.execute("SELECT count(*) FROM smdr.client AS c WHERE \(Self.clientSearch)", [.text(search)])[0][0].int ?? 0
        return Counts(rows: rows, clients: clients, matters: 0, blockedNumbers: 0, inactiveCodes: 0)
    }

    /// Row `cur` of `kind` has parameter `$parameter` in one of its columns (case-insensitive).
    private static func searchCondition(_ kind: RegisterKind, parameter: Int) -> String {
        "strpos(lower(concat_ws(' ', \(kind.columns.map { "cur.\($0)::text" }.joined(separator: ", ")))), lower($\(parameter))) > 0"
    }

    /// Client `c` has `$1` in its id or name, in a matter's id or name, or in one of its codes.
    private static let clientSearch = """
        (strpos(lower(c.client_id || ' ' || c.name), lower($1)) > 0
            OR EXISTS (SELECT FROM smdr.matter AS m WHERE m.client_id = c.client_id AND strpos(lower(m.matter_id || ' ' || m.name), lower($1)) > 0)
            OR EXISTS (SELECT FROM smdr.account_code AS a WHERE a.client_id = c.client_id AND strpos(lower(a.code), lower($1)) > 0))
        """

    /// The rows of `kind` from `offset`, at most `limit` (`limit + 1` to learn whether more
    /// follow), in export's order: those with `search` in any column (case-insensitive; empty
    /// is every row) and, when `client` is given, those of that client (codes and rates by
    /// their client, numbers and defaults by their code's client; ignored for the others).
    ///
    /// A condition that does not apply is left out of the statement (not made true with its
    /// parameter), so that the plain list is an index scan in key order that stops at `limit`.
    package static func page(
        _ kind: RegisterKind, search: String, client: String?, offset: Int, limit: Int, on connection: PostgresConnection
    ) throws -> RegisterRows {
        let spec = RegisterStore.Spec.of(kind)
        var conditions: [String] = []
        var parameters: [PostgresValue] = []
        if !search.isEmpty {
            parameters.append(.text(search))
            conditions.append(Self.searchCondition(kind, parameter: parameters.count))
        }
        if let client {
            let filter: String? =
                switch kind {
                case .codes, .rates: "cur.client_id = $\(parameters.count + 1)"
                case .numbers, .defaults: "cur.code IN (SELECT a.code FROM smdr.account_code AS a WHERE a.client_id = $\(parameters.count + 1))"
                case .timekeepers, .plans: nil
                }
            if let filter {
                parameters.append(.text(client))
                conditions.append(filter)
            }
        }
        parameters += [.int(limit), .int(offset)]
        let sql = """
            SELECT * FROM (\(spec.currentSQL)) AS cur \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(spec.order) LIMIT $\(parameters.count - 1) OFFSET $\(parameters.count)
            """
        return try Self.read(kind, sql, parameters, firstLine: offset + 2, on: connection)
    }

    /// The row of `kind` with `key` (the key columns' values as export writes them); `nil` when
    /// there is none.
    package static func row(_ kind: RegisterKind, key: [String], on connection: PostgresConnection) throws -> RegisterRows? {
        let spec = RegisterStore.Spec.of(kind)
        guard let parameters = RegisterStore.keyParameters(kind, key) else { return nil }
        let sql = "SELECT * FROM (\(spec.currentSQL)) AS cur WHERE \(spec.keyMatches("cur", firstParameter: 1, nullSafe: false)) LIMIT 1"
        let rows = try Self.read(kind, sql, parameters, firstLine: 2, on: connection)
        return rows.count == 0 ? nil : rows
    }

    /// The clients from `offset`, at most `limit` (`limit + 1` to learn whether more follow), by
    /// id: those with `search` in their id or name, or in a matter's id or name, or in one of
    /// their codes. Each with at most `listLimit` matters, codes and numbers.
    package static func clients(
        search: String, offset: Int, limit: Int, listLimit: Int, on connection: PostgresConnection
    ) throws -> [Client] {
        // The same page in each statement (ordered by the unique id, so the same rows).
        let page = """
            WITH page AS (
                SELECT c.client_id, c.name FROM smdr.client AS c WHERE $1 = '' OR \(Self.clientSearch)
                ORDER BY c.client_id COLLATE "C" LIMIT $2 OFFSET $3
            )
            """
        let parameters: [PostgresValue] = [.text(search), .int(limit), .int(offset), .int(listLimit + 1)]
        var clients = try connection.execute("\(page) SELECT client_id, name FROM page ORDER BY client_id COLLATE \"C\"", Array(parameters.prefix(3)))
            .map { Client(clientID: $0[0].string ?? "", name: $0[1].string ?? "") }
        guard !clients.isEmpty else { return [] }
        var position: [String: Int] = [:]
        for (index, client) in clients.enumerated() { position[client.clientID] = index }

        let matters = try connection.execute(
            """
            \(page)
            SELECT client_id, matter_id, name FROM (
                SELECT m.*, row_number() OVER (PARTITION BY m.client_id ORDER BY m.matter_id COLLATE "C") AS n
                FROM smdr.matter AS m WHERE m.client_id IN (SELECT client_id FROM page)
            ) AS x WHERE n <= $4 ORDER BY client_id COLLATE "C", matter_id COLLATE "C"
            """,
            parameters
        )
        for row in matters {
            guard let index = position[row[0].string ?? ""] else { continue }
            if clients[index].matters.count == listLimit {
                clients[index].moreMatters = true
            } else {
                clients[index].matters.append(.init(matterID: row[1].string ?? "", name: row[2].string ?? ""))
            }
        }

        let store = RegisterStore(connection: connection)
        let codes = try store.codes(
            """
            \(page)
            SELECT code, client_id, client_name, matter_id, matter_name, description, active, valid_from, valid_to FROM (
                SELECT cur.*, row_number() OVER (PARTITION BY cur.client_id ORDER BY cur.code COLLATE "C") AS n
                FROM (\(RegisterStore.Spec.codes.currentSQL)) AS cur WHERE cur.client_id IN (SELECT client_id FROM page)
            ) AS x WHERE n <= $4 ORDER BY client_id COLLATE "C", code COLLATE "C"
            """,
            parameters
        )
        for code in codes {
            guard let index = position[code.clientID] else { continue }
            if clients[index].codes.count == listLimit { clients[index].moreCodes = true } else { clients[index].codes.append(code) }
        }

        let numbers = try connection.execute(
            """
            \(page)
            SELECT client_id, number, match, code, blocked, note FROM (
                SELECT a.client_id, n.*, row_number() OVER (PARTITION BY a.client_id ORDER BY n.number COLLATE "C") AS k
                FROM smdr.client_number AS n JOIN smdr.account_code AS a ON a.code = n.code
                WHERE a.client_id IN (SELECT client_id FROM page)
            ) AS x WHERE k <= $4 ORDER BY client_id COLLATE "C", number COLLATE "C"
            """,
            parameters
        )
        for row in numbers {
            guard let index = position[row[0].string ?? ""] else { continue }
            if clients[index].numbers.count == listLimit {
                clients[index].moreNumbers = true
            } else {
                clients[index].numbers.append(
                    ClientNumber(
                        number: row[1].string ?? "", match: row[2].string.flatMap(ClientNumber.Match.init(rawValue:)) ?? .exact,
                        code: row[3].string ?? "", blocked: row[4].bool ?? false, note: row[5].string ?? ""
                    )
                )
            }
        }
        return clients
    }

    /// Rows of `kind` that `sql` selects in the columns of the kind's current register, decoded
    /// as `smdr register export` decodes them.
    private static func read(
        _ kind: RegisterKind, _ sql: String, _ parameters: [PostgresValue], firstLine: Int, on connection: PostgresConnection
    ) throws -> RegisterRows {
        let store = RegisterStore(connection: connection)
        func lined<Value>(_ values: [Value]) -> [RegisterRow<Value>] {
            values.enumerated().map { RegisterRow(line: firstLine + $0.offset, value: $0.element) }
        }
        switch kind {
        case .codes: return .codes(lined(try store.codes(sql, parameters)))
        case .numbers: return .numbers(lined(try store.numbers(sql, parameters)))
        case .defaults: return .defaults(lined(try store.defaults(sql, parameters)))
        case .timekeepers: return .timekeepers(lined(try store.timekeepers(sql, parameters)))
        case .plans: return .plans(lined(try store.plans(sql, parameters)))
        case .rates: return .rates(lined(try store.rates(sql, parameters)))
        }
    }
}
