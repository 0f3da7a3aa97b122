/// STAND-IN until part A lands its generated ISO 4217 table: delete this file on merge and keep
/// part A's `Currency.minorUnit(of:)`. Only the currencies the register tests use.
public enum Currency {
    /// Digits after the decimal point of an ISO 4217 currency; `nil` for an unknown code or one
    /// without a minor unit.
    public static func minorUnit(of code: String) -> Int? {
        switch code {
        case "GBP", "EUR", "USD", "CHF", "AUD", "CAD": 2
        case "JPY", "KRW": 0
        case "BHD", "KWD", "JOD": 3
        default: nil
        }
    }
}
