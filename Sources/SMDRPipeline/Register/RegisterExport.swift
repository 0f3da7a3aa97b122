package import SMDRPostgres
import SMDRRating

/// `smdr register export KIND`: the register's rows of one kind as the CSV import reads.
package enum RegisterExport {
    /// The file: header, then the rows sorted by key.
    package static func run(kind: RegisterKind, store: PostgresStore) async throws -> [UInt8] {
        let rows = try await store.withConnection { connection -> RegisterRows in
            let register = RegisterStore(connection: connection)
            func lined<Value>(_ values: [Value]) -> [RegisterRow<Value>] {
                values.enumerated().map { RegisterRow(line: $0.offset + 2, value: $0.element) }
            }
            switch kind {
            case .codes: return .codes(lined(try register.codes()))
            case .numbers: return .numbers(lined(try register.numbers()))
            case .defaults: return .defaults(lined(try register.defaults()))
            case .timekeepers: return .timekeepers(lined(try register.timekeepers()))
            case .plans: return .plans(lined(try register.plans()))
            case .rates: return .rates(lined(try register.rates()))
            }
        }
        return RegisterCSV.write(rows)
    }
}
