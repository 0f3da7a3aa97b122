import SMDRCore
import SMDRRating
import Testing

/// Exact hours, fees and markups, and the ISO 4217 minor units, checked by hand.
@Suite struct MoneyTests {
    private typealias F = RatingFixture

    @Test(arguments: [
        (0, "0.0"), (360, "0.1"), (720, "0.2"), (900, "0.25"), (3600, "1.0"), (5400, "1.5"), (9, "0.0025"),
        // Not terminating within 4 decimals: half-up to 6.
        (300, "0.083333"), (1, "0.000278"), (7, "0.001944"), (100, "0.027778"),
    ])
    func hoursAreExactOrSixDecimals(seconds: Int, hours: String) {
        #expect(Money.hours(seconds: seconds) == F.decimal(hours))
    }

    @Test(arguments: [
        // seconds, rate, minor unit, amount
        (360, "333.33", 2, "33.33"), (720, "333.33", 2, "66.67"), (1080, "333.33", 2, "100.00"),
        (360, "0.05", 2, "0.01"),  // 0.005 → half-up
        (360, "0.04", 2, "0.00"),  // 0.004
        (360, "12345", 0, "1235"), (360, "33.335", 3, "3.334"), (3600, "250", 2, "250.00"), (0, "250.00", 2, "0.00"),
    ])
    func feeIsRoundedHalfUpFromTheExactProduct(seconds: Int, rate: String, minorUnit: Int, amount: String) {
        #expect(Money.fee(seconds: seconds, rate: F.decimal(rate), minorUnit: minorUnit) == F.decimal(amount))
    }

    @Test(arguments: [
        ("1.20", "10", 2, "1.32"), ("0.0618", "15", 2, "0.07"), ("0.05", "10", 1, "0.1"),  // 0.055 → 0.1
        ("1.00", "-50", 2, "0.50"), ("-1.00", "5", 2, "-1.05"), ("-0.005", "0", 2, "-0.01"),  // away from zero
        ("3", "33.333", 0, "4"),
    ])
    func markupIsRoundedHalfUpAwayFromZero(cost: String, percent: String, minorUnit: Int, amount: String) {
        #expect(Money.markedUp(F.decimal(cost), percent: F.decimal(percent), minorUnit: minorUnit) == F.decimal(amount))
    }

    @Test func minorUnitsFromISO4217() {
        #expect(Currency.minorUnit(of: "GBP") == 2)
        #expect(Currency.minorUnit(of: "EUR") == 2)
        #expect(Currency.minorUnit(of: "JPY") == 0)
        #expect(Currency.minorUnit(of: "BHD") == 3)
        #expect(Currency.minorUnit(of: "CLF") == 4)
        // No minor unit: not a currency a plan bills in.
        #expect(Currency.minorUnit(of: "XAU") == nil)
        #expect(Currency.minorUnit(of: "XXX") == nil)
        #expect(Currency.minorUnit(of: "gbp") == nil)
        #expect(Currency.minorUnit(of: "") == nil)
    }

    @Test(arguments: [("GBP", "GBP"), (" gbp ", "GBP"), ("\tJpy", "JPY"), ("G BP", nil), ("£", nil), ("", nil), ("XAU", nil), ("GBPX", nil)])
    func printedCurrencyIsTrimmedAndUpperCased(printed: String, code: String?) {
        #expect(Currency.normalisedCode(printed) == code)
    }
}
