import SMDRCore
package import SMDRPostgres
import SMDRRating
import SMDRReports

/// The register's CSV files (DESIGN §6): the header, every row parsed into the register model
/// with the checks a file can be given without the database, and the rows written back.
///
/// Rules (the README repeats them):
/// - The header names exactly the columns of the kind, each once, in any order; empty lines
///   are skipped; every row has as many fields as the header.
/// - Cells are taken verbatim (no trimming); a cell may not hold a NUL character.
/// - Booleans are `true` or `false` (also `yes`/`no`, `1`/`0`, any case); an empty `active` is
///   `true`, an empty `blocked` is `false`. Export writes `true`/`false`.
/// - Dates are `YYYY-MM-DD` or empty (open); a rate's bounds may also be `YYYY-MM-DD HH:MM`.
/// - Decimals are `[-]digits[.digits]` and written back as imported (`250.00` stays `250.00`).
package enum RegisterCSV {
    /// Longest client, matter and timekeeper id (as `smdr.client` checks).
    package static let maximumIDLength = 64
    /// Longest account code or pattern (as `smdr.account_code` checks).
    package static let maximumCodeLength = 32
    /// Most digits of an extension.
    package static let maximumExtensionDigits = 15
    /// Most decimals of a plan's hourly rate and carrier markup (a rate of 333.3333 per hour).
    package static let maximumRateDecimals = 4
    /// Most seconds a plan's increment, minimum or grace may be: a day, the longest a charge
    /// (`client_day`) covers.
    package static let maximumPlanSeconds = 86_400

    /// The rows of a file and the problems of the rows that could not be parsed (sorted by line).
    package struct Parsed: Sendable {
        package var rows: RegisterRows
        package var problems: [RegisterProblem]
    }

    /// Parses a whole file.
    ///
    /// - Throws: nothing; an unreadable file (invalid UTF-8, an unterminated quote, a bad header)
    ///   is returned as problems with no rows.
    package static func parse(_ kind: RegisterKind, _ bytes: [UInt8]) -> Parsed {
        let empty = Parsed(rows: Self.emptyRows(kind), problems: [])
        let records: [CSVRecord]
        do {
            records = try CSVReader.records(bytes)
        } catch {
            return Parsed(rows: empty.rows, problems: [RegisterProblem(line: error.line, column: "", message: error.message)])
        }
        guard let header = records.first else {
            return Parsed(
                rows: empty.rows,
                problems: [RegisterProblem(line: 1, column: "", message: "the file is empty; expected a header row: \(kind.columns.joined(separator: ","))")]
            )
        }
        if let problem = Self.headerProblem(kind, header) {
            return Parsed(rows: empty.rows, problems: [problem])
        }
        var rows = RowParser(kind: kind, header: header.fields)
        for record in records.dropFirst() { rows.parse(record) }
        return Parsed(rows: rows.rows, problems: rows.problems.sorted())
    }

    /// The file export writes: the header in DESIGN order, then one record per row.
    package static func write(_ rows: RegisterRows) -> [UInt8] {
        var writer = CSVWriter()
        writer.append(rows.kind.columns)
        for record in Self.fields(rows) { writer.append(record) }
        return writer.bytes
    }

    /// Each row's cells as export writes them, in ``RegisterKind/columns`` order (the web app's
    /// tables and forms show these, so a form saved unchanged is no change).
    package static func fields(_ rows: RegisterRows) -> [[String]] {
        func date(_ value: LocalDate?) -> String { value?.description ?? "" }
        func bool(_ value: Bool) -> String { value ? "true" : "false" }
        switch rows {
        case .codes(let rows):
            return rows.map(\.value).map { code in
                [
                    code.code, code.clientID, code.clientName, code.matterID ?? "", code.matterName ?? "", code.description,
                    bool(code.active), date(code.validFrom), date(code.validTo),
                ]
            }
        case .numbers(let rows):
            return rows.map(\.value).map { number in [number.number, number.match.rawValue, number.code, bool(number.blocked), number.note] }
        case .defaults(let rows):
            return rows.map(\.value).map { value in [value.site, value.kind.rawValue, value.value, value.code] }
        case .timekeepers(let rows):
            return rows.map(\.value).map { keeper in
                [keeper.id, keeper.name, keeper.classification, keeper.site ?? "", keeper.extension ?? "", keeper.userName ?? ""]
            }
        case .plans(let rows):
            return rows.map(\.value).map { plan in
                [
                    plan.id, plan.hourlyRate.description, plan.currency, String(plan.incrementSeconds), String(plan.minimumSeconds),
                    String(plan.graceSeconds), plan.rounding.rawValue, plan.scope.rawValue, bool(plan.billHoldTime),
                    plan.carrierMarkupPercent?.description ?? "",
                ]
            }
        case .rates(let rows):
            return rows.map(\.value).map { rate in
                [
                    rate.planID, rate.clientID ?? "", rate.matterID ?? "", rate.timekeeperID ?? "", rate.site ?? "",
                    rate.effectiveFrom.map(EffectiveTime.format) ?? "", rate.effectiveTo.map(EffectiveTime.format) ?? "",
                ]
            }
        }
    }

    /// A file of one row: the header and `values` by column name (a missing column is empty),
    /// written by the CSV writer, as the web app's edit form submits it.
    package static func oneRow(_ kind: RegisterKind, _ values: [String: String]) -> [UInt8] {
        var writer = CSVWriter()
        writer.append(kind.columns)
        writer.append(kind.columns.map { values[$0] ?? "" })
        return writer.bytes
    }

    static func emptyRows(_ kind: RegisterKind) -> RegisterRows {
        switch kind {
        case .codes: .codes([])
        case .numbers: .numbers([])
        case .defaults: .defaults([])
        case .timekeepers: .timekeepers([])
        case .plans: .plans([])
        case .rates: .rates([])
        }
    }

    static func headerProblem(_ kind: RegisterKind, _ header: CSVRecord) -> RegisterProblem? {
        let names = header.fields
        var parts: [String] = []
        let missing = kind.columns.filter { !names.contains($0) }
        let unknown = names.filter { !kind.columns.contains($0) }
        var seen = Set<String>()
        let repeated = names.filter { kind.columns.contains($0) && !seen.insert($0).inserted }
        if !missing.isEmpty { parts.append("missing column\(missing.count == 1 ? "" : "s") " + missing.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("unknown column\(unknown.count == 1 ? "" : "s") " + unknown.map { "'\($0)'" }.joined(separator: ", ")) }
        if !repeated.isEmpty { parts.append("repeated column\(repeated.count == 1 ? "" : "s") " + repeated.joined(separator: ", ")) }
        guard !parts.isEmpty else { return nil }
        return RegisterProblem(
            line: header.line, column: "",
            message: "header: \(parts.joined(separator: "; ")); expected the \(kind.rawValue) columns "
                + "\(kind.columns.joined(separator: ",")) (in any order, each once)"
        )
    }
}

/// Parses the data rows of one file, collecting problems.
private struct RowParser {
    let kind: RegisterKind
    let header: [String]
    private(set) var problems: [RegisterProblem] = []
    private var codes: [RegisterRow<AccountCode>] = []
    private var numbers: [RegisterRow<ClientNumber>] = []
    private var defaults: [RegisterRow<CodeDefault>] = []
    private var timekeepers: [RegisterRow<Timekeeper>] = []
    private var plans: [RegisterRow<RatePlan>] = []
    private var rates: [RegisterRow<RateAssignment>] = []
    /// First line of each key (and of each unique pair of a timekeeper, each client and matter name).
    private var firstLine: [String: Int] = [:]
    private var clientNames: [String: (name: String, line: Int)] = [:]
    private var matterNames: [String: (name: String, line: Int)] = [:]

    init(kind: RegisterKind, header: [String]) {
        self.kind = kind
        self.header = header
    }

    var rows: RegisterRows {
        switch self.kind {
        case .codes: .codes(self.codes)
        case .numbers: .numbers(self.numbers)
        case .defaults: .defaults(self.defaults)
        case .timekeepers: .timekeepers(self.timekeepers)
        case .plans: .plans(self.plans)
        case .rates: .rates(self.rates)
        }
    }

    mutating func parse(_ record: CSVRecord) {
        guard record.fields.count == self.header.count else {
            self.problems.append(
                RegisterProblem(
                    line: record.line, column: "",
                    message: "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s"); expected \(self.header.count) "
                        + "as in the header (a comma inside a value needs quotes: \"Beta, all matters\")"
                )
            )
            return
        }
        var row = Row(line: record.line, cells: Dictionary(uniqueKeysWithValues: zip(self.header, record.fields)))
        switch self.kind {
        case .codes: self.parseCode(&row)
        case .numbers: self.parseNumber(&row)
        case .defaults: self.parseDefault(&row)
        case .timekeepers: self.parseTimekeeper(&row)
        case .plans: self.parsePlan(&row)
        case .rates: self.parseRate(&row)
        }
        self.problems += row.problems
    }

    /// A key seen before is a problem naming the first line; returns whether it is new.
    private mutating func unique(_ key: String, _ row: inout Row, column: String, what: String, expected: String) -> Bool {
        if let first = self.firstLine[key] {
            row.problem(column, "\(what) is also on line \(first); expected \(expected)")
            return false
        }
        self.firstLine[key] = row.line
        return true
    }

    private mutating func parseCode(_ row: inout Row) {
        let code = row.code("code", exact: false)
        let clientID = row.identifier("client_id", required: true)
        let clientName = row.required("client_name")
        let matterID = row.identifier("matter_id", required: false)
        let matterName = row.text("matter_name")
        if matterID == nil, !matterName.isEmpty {
            row.problem("matter_name", "'\(matterName)' is given without a matter_id; expected empty when matter_id is empty")
        }
        let description = row.text("description")
        let active = row.boolean("active", empty: true)
        let validFrom = row.date("valid_from")
        let validTo = row.date("valid_to")
        if let validFrom, let validTo, validTo < validFrom {
            row.problem("valid_to", "\(validTo) is before valid_from \(validFrom); expected a date on or after valid_from, or empty")
        }
        if let clientID, let clientName {
            if let first = self.clientNames[clientID], first.name != clientName {
                row.problem("client_name", "'\(clientName)' differs from '\(first.name)' on line \(first.line) for client \(clientID); expected one name per client")
            } else if self.clientNames[clientID] == nil {
                self.clientNames[clientID] = (clientName, row.line)
            }
            if let matterID {
                let key = clientID + "\u{0}" + matterID
                if let first = self.matterNames[key], first.name != matterName {
                    row.problem("matter_name", "'\(matterName)' differs from '\(first.name)' on line \(first.line) for matter \(matterID) of client \(clientID); expected one name per matter")
                } else if self.matterNames[key] == nil {
                    self.matterNames[key] = (matterName, row.line)
                }
            }
        }
        if let code, !self.unique(code, &row, column: "code", what: code, expected: "each code once") { return }
        guard row.problems.isEmpty, let code, let clientID, let clientName, let active else { return }
        self.codes.append(
            RegisterRow(
                line: row.line,
                value: AccountCode(
                    code: code, clientID: clientID, clientName: clientName, matterID: matterID,
                    matterName: matterID == nil ? nil : matterName, description: description, active: active,
                    validFrom: validFrom, validTo: validTo
                )
            )
        )
    }

    private mutating func parseNumber(_ row: inout Row) {
        let number = row.e164("number")
        let match = row.choice("match", ClientNumber.Match.self)
        let code = row.code("code", exact: true)
        let blocked = row.boolean("blocked", empty: false)
        let note = row.text("note")
        if let number, !self.unique(number, &row, column: "number", what: number, expected: "each number once") { return }
        guard row.problems.isEmpty, let number, let match, let code, let blocked else { return }
        self.numbers.append(RegisterRow(line: row.line, value: ClientNumber(number: number, match: match, code: code, blocked: blocked, note: note)))
    }

    private mutating func parseDefault(_ row: inout Row) {
        let site = row.required("site")
        let kind = row.choice("kind", CodeDefault.Kind.self)
        let value = row.required("value")
        let code = row.code("code", exact: true)
        if let site, let kind, let value,
            !self.unique(
                [site, kind.rawValue, value].joined(separator: "\u{0}"), &row, column: "value",
                what: "site \(site) \(kind.rawValue) \(value)", expected: "each site, kind and value once"
            )
        {
            return
        }
        guard row.problems.isEmpty, let site, let kind, let value, let code else { return }
        self.defaults.append(RegisterRow(line: row.line, value: CodeDefault(site: site, kind: kind, value: value, code: code)))
    }

    private mutating func parseTimekeeper(_ row: inout Row) {
        let id = row.identifier("timekeeper_id", required: true)
        let name = row.required("name")
        let classification = row.text("classification")
        let site = row.optional("site")
        let userName = row.optional("user_name")
        var extensionNumber = row.optional("extension")
        if let digits = extensionNumber,
            !(digits.utf8.count <= RegisterCSV.maximumExtensionDigits && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            row.problem("extension", "'\(digits)' is not an extension number; expected 1 to \(RegisterCSV.maximumExtensionDigits) digits, or empty")
            extensionNumber = nil
        }
        let place = site.map { "site \($0)" } ?? "any site"
        if let id, !self.unique("id\u{0}" + id, &row, column: "timekeeper_id", what: id, expected: "each timekeeper once") { return }
        if let extensionNumber {
            _ = self.unique(
                "extension\u{0}\(site ?? "")\u{0}\(extensionNumber)", &row, column: "extension", what: "extension \(extensionNumber) at \(place)",
                expected: "one timekeeper per extension of a site"
            )
        }
        if let userName {
            _ = self.unique(
                "user\u{0}\(site ?? "")\u{0}\(userName)", &row, column: "user_name", what: "user name '\(userName)' at \(place)",
                expected: "one timekeeper per user name of a site"
            )
        }
        guard row.problems.isEmpty, let id, let name else { return }
        self.timekeepers.append(
            RegisterRow(
                line: row.line,
                value: Timekeeper(id: id, name: name, classification: classification, site: site, extension: extensionNumber, userName: userName)
            )
        )
    }
    private mutating func parsePlan(_ row: inout Row) {
        let id = row.identifier("plan_id", required: true)
        let hourlyRate = row.decimal("hourly_rate", required: true, minimum: ExactDecimal(units: 0, scale: 0), example: "250.00")
        let currency = row.currency("currency")
        let increment = row.seconds("increment_seconds", minimum: 1)
        let minimum = row.seconds("minimum_seconds", minimum: 0)
        let grace = row.seconds("grace_seconds", minimum: 0)
        let rounding = row.choice("rounding", RatePlan.Rounding.self)
        let scope = row.choice("scope", RatePlan.Scope.self)
        let billHoldTime = row.boolean("bill_hold_time", empty: false)
        let markup = row.decimal("carrier_markup_percent", required: false, minimum: ExactDecimal(units: -100, scale: 0), example: "15 adds 15 %")
        if let id, !self.unique(id, &row, column: "plan_id", what: id, expected: "each plan once") { return }
        guard row.problems.isEmpty, let id, let hourlyRate = hourlyRate ?? nil, let currency, let increment, let minimum, let grace,
            let rounding, let scope, let billHoldTime, let markup
        else { return }
        self.plans.append(
            RegisterRow(
                line: row.line,
                value: RatePlan(
                    id: id, hourlyRate: hourlyRate, currency: currency, incrementSeconds: increment, minimumSeconds: minimum,
                    graceSeconds: grace, rounding: rounding, scope: scope, billHoldTime: billHoldTime, carrierMarkupPercent: markup
                )
            )
        )
    }

    private mutating func parseRate(_ row: inout Row) {
        let planID = row.identifier("plan_id", required: true)
        let clientID = row.identifier("client_id", required: false)
        let matterID = row.identifier("matter_id", required: false)
        if let matterID, clientID == nil {
            row.problem("matter_id", "\(matterID) is given without a client_id; expected a client_id with a matter_id (a matter is one client's)")
        }
        let timekeeperID = row.identifier("timekeeper_id", required: false)
        let site = row.optional("site")
        let from = row.effectiveTime("effective_from")
        let to = row.effectiveTime("effective_to")
        if let from = from ?? nil, let to = to ?? nil, !(from < to) {
            row.problem(
                "effective_to",
                "\(EffectiveTime.format(to)) is not after effective_from \(EffectiveTime.format(from)); expected a time after effective_from (exclusive), or empty"
            )
        }
        if let planID {
            let key = [planID, clientID ?? "", matterID ?? "", timekeeperID ?? "", site ?? "", (from ?? nil).map(EffectiveTime.format) ?? ""]
            let target = [clientID.map { "client \($0)" }, matterID.map { "matter \($0)" }, timekeeperID.map { "timekeeper \($0)" }, site.map { "site \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            let what = "plan \(planID) for \(target.isEmpty ? "every call" : target) from \(key[5].isEmpty ? "open" : key[5])"
            if !self.unique(key.joined(separator: "\u{0}"), &row, column: "effective_from", what: what, expected: "each plan, target and effective_from once") {
                return
            }
        }
        guard row.problems.isEmpty, let planID, let from, let to else { return }
        self.rates.append(
            RegisterRow(
                line: row.line,
                value: RateAssignment(
                    planID: planID, clientID: clientID, matterID: matterID, timekeeperID: timekeeperID, site: site, effectiveFrom: from,
                    effectiveTo: to
                )
            )
        )
    }
}

/// One data row's cells by column name, and the problems found in it.
private struct Row {
    let line: Int
    let cells: [String: String]
    private(set) var problems: [RegisterProblem] = []

    init(line: Int, cells: [String: String]) {
        self.line = line
        self.cells = cells
    }

    mutating func problem(_ column: String, _ message: String) {
        self.problems.append(RegisterProblem(line: self.line, column: column, message: message))
    }

    /// The cell verbatim ("" when absent); a NUL character is a problem.
    mutating func text(_ column: String) -> String {
        let value = self.cells[column] ?? ""
        if value.utf8.contains(0) {
            self.problem(column, "contains a NUL character; expected text without control character 0")
        }
        return value
    }

    /// The cell, or `nil` when empty.
    mutating func optional(_ column: String) -> String? {
        let value = self.text(column)
        return value.isEmpty ? nil : value
    }

    mutating func required(_ column: String, expected: String = "a value") -> String? {
        guard let value = self.optional(column) else {
            self.problem(column, "empty; expected \(expected)")
            return nil
        }
        return value
    }

    mutating func identifier(_ column: String, required: Bool) -> String? {
        let expected = "an identifier of 1 to \(RegisterCSV.maximumIDLength) characters"
        guard let value = required ? self.required(column, expected: expected) : self.optional(column) else { return nil }
        guard value.count <= RegisterCSV.maximumIDLength else {
            self.problem(column, "\(value.count) characters; expected \(expected)")
            return nil
        }
        return value
    }

    /// An account code or IP Office pattern (`exact`: no wildcards).
    mutating func code(_ column: String, exact: Bool) -> String? {
        let expected =
            exact
            ? "an exact registered account code (letters, digits, - . _ /; no ? or *)"
            : "an account code of 1 to \(RegisterCSV.maximumCodeLength) letters, digits, - . _ /; ? for any one character, a final * for any rest"
        guard let value = self.required(column, expected: expected) else { return nil }
        let bytes = Array(value.utf8)
        // Matter numbers as firms write them (HALE-2231, 2024.001, ACME/01) can be entered too.
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || Array("-._/".utf8).contains(byte)
        }
        if exact, bytes.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "*") }) {
            self.problem(column, "'\(value)' is a pattern; expected \(expected)")
            return nil
        }
        if let bad = value.first(where: { !($0.isASCII && (isAlphanumeric($0.asciiValue ?? 0) || $0 == "?" || $0 == "*")) }) {
            self.problem(column, "'\(value)' has '\(bad)'; expected \(expected)")
            return nil
        }
        if let star = bytes.firstIndex(of: UInt8(ascii: "*")), star != bytes.count - 1 {
            self.problem(column, "'\(value)' has * before its end; expected \(expected)")
            return nil
        }
        guard bytes.count <= RegisterCSV.maximumCodeLength else {
            self.problem(column, "'\(value)' has \(bytes.count) characters; expected \(expected)")
            return nil
        }
        return value
    }

    /// `true`/`false`, `yes`/`no`, `1`/`0` in any case; `empty` when the cell is empty.
    mutating func boolean(_ column: String, empty: Bool) -> Bool? {
        let value = self.text(column)
        switch value.lowercased() {
        case "": return empty
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default:
            self.problem(column, "'\(value)' is not true or false; expected true or false (also yes/no, 1/0), or empty for \(empty)")
            return nil
        }
    }

    /// A `YYYY-MM-DD` date or `nil` when empty.
    mutating func date(_ column: String) -> LocalDate? {
        guard let value = self.optional(column) else { return nil }
        guard let date = LocalDate(iso: value) else {
            self.problem(column, "\(value) is not a date; expected YYYY-MM-DD or empty")
            return nil
        }
        return date
    }

    /// A decimal of at most ``RegisterCSV/maximumRateDecimals`` decimals, at least `minimum`;
    /// `.some(nil)` when empty and not `required`, `nil` when bad.
    mutating func decimal(_ column: String, required: Bool, minimum: ExactDecimal, example: String) -> ExactDecimal?? {
        let expected = "a decimal of at least \(minimum) with at most \(RegisterCSV.maximumRateDecimals) decimals (\(example))\(required ? "" : ", or empty")"
        guard let value = required ? self.required(column, expected: expected) : self.optional(column) else { return required ? nil : .some(nil) }
        guard let decimal = DecimalText.parse(value) else {
            self.problem(column, "'\(value)' is not a decimal; expected \(expected)")
            return nil
        }
        guard decimal.scale <= RegisterCSV.maximumRateDecimals else {
            self.problem(column, "\(value) has \(decimal.scale) decimals; expected \(expected)")
            return nil
        }
        if Self.less(decimal, minimum) {
            self.problem(column, "\(value) is less than \(minimum); expected \(expected)")
            return nil
        }
        return .some(decimal)
    }

    /// `lhs < rhs`, exactly (both have at most ``RegisterCSV/maximumRateDecimals`` decimals and
    /// ``DecimalText/maximumDigits`` digits, so the scaled units fit an `Int128`).
    private static func less(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        func scaled(_ value: ExactDecimal) -> Int128 {
            var units = Int128(value.units)
            for _ in value.scale..<scale { units *= 10 }
            return units
        }
        return scaled(lhs) < scaled(rhs)
    }

    /// An ISO 4217 code with a minor unit (`Currency.minorUnit(of:)`).
    mutating func currency(_ column: String) -> String? {
        let expected = "an ISO 4217 currency code in capitals (GBP, EUR, USD, JPY)"
        guard let value = self.required(column, expected: expected) else { return nil }
        guard Currency.minorUnit(of: value) != nil else {
            self.problem(column, "'\(value)' is not an ISO 4217 currency; expected \(expected)")
            return nil
        }
        return value
    }

    /// Whole seconds from `minimum` to ``RegisterCSV/maximumPlanSeconds``.
    mutating func seconds(_ column: String, minimum: Int) -> Int? {
        let expected = "whole seconds from \(minimum) to \(RegisterCSV.maximumPlanSeconds)\(minimum == 1 ? " (360 = 0.1 h)" : "")"
        guard let value = self.required(column, expected: expected) else { return nil }
        guard value.utf8.count <= 9, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let seconds = Int(value) else {
            self.problem(column, "'\(value)' is not a whole number of seconds; expected \(expected)")
            return nil
        }
        guard (minimum...RegisterCSV.maximumPlanSeconds).contains(seconds) else {
            self.problem(column, "\(value) is out of range; expected \(expected)")
            return nil
        }
        return seconds
    }

    /// A rate's bound: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; `.some(nil)` when empty, `nil` when bad.
    mutating func effectiveTime(_ column: String) -> LocalDateTime?? {
        guard let value = self.optional(column) else { return .some(nil) }
        guard let time = EffectiveTime.parse(value) else {
            self.problem(column, "\(value) is not a date or time; expected YYYY-MM-DD or YYYY-MM-DD HH:MM (local time at the call's site), or empty")
            return nil
        }
        return .some(time)
    }

    /// An E.164 number with `+`.
    mutating func e164(_ column: String) -> String? {
        let expected = "E.164 with +: + and 1 to 15 digits, the first not 0 (+441632960100)"
        guard let value = self.required(column, expected: expected) else { return nil }
        let digits = value.utf8.dropFirst()
        guard value.utf8.first == UInt8(ascii: "+"), (1...15).contains(digits.count), digits.first != UInt8(ascii: "0"),
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            self.problem(column, "'\(value)' is not an E.164 number; expected \(expected)")
            return nil
        }
        return value
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ column: String, _ type: Choice.Type) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        let expected = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        guard let value = self.required(column, expected: expected) else { return nil }
        guard let choice = Choice(rawValue: value) else {
            self.problem(column, "'\(value)' is not one of them; expected \(expected)")
            return nil
        }
        return choice
    }
}
