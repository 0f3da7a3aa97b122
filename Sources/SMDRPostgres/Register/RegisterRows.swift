package import SMDRRating

/// The rows of one register file, parsed.
package enum RegisterRows: Hashable, Sendable {
    case codes([RegisterRow<AccountCode>])
    case numbers([RegisterRow<ClientNumber>])
    case defaults([RegisterRow<CodeDefault>])
    case timekeepers([RegisterRow<Timekeeper>])
    case plans([RegisterRow<RatePlan>])
    case rates([RegisterRow<RateAssignment>])

    package var kind: RegisterKind {
        switch self {
        case .codes: .codes
        case .numbers: .numbers
        case .defaults: .defaults
        case .timekeepers: .timekeepers
        case .plans: .plans
        case .rates: .rates
        }
    }

    package var count: Int {
        switch self {
        case .codes(let rows): rows.count
        case .numbers(let rows): rows.count
        case .defaults(let rows): rows.count
        case .timekeepers(let rows): rows.count
        case .plans(let rows): rows.count
        case .rates(let rows): rows.count
        }
    }
}
