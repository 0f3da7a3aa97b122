import Foundation
package import Logging
package import SMDRCore
package import SMDRPostgres

/// What every route needs: the database, the settings, the sign-in throttle, a logger, and
/// today's date for pages that show "this month" by default (tests fix it).
package struct WebEnvironment: Sendable {
    package var store: PostgresStore
    package var settings: WebSettings
    package var throttle: SignInThrottle
    /// What an unknown name's password is checked against (at `settings.bcryptCost`).
    package var dummyHash: DummyPasswordHash
    package var logger: Logger
    /// Today's local date: the default month of the calls page and the dashboard.
    package var today: @Sendable () -> LocalDate

    package init(
        store: PostgresStore, settings: WebSettings, logger: Logger, today: @escaping @Sendable () -> LocalDate = WebEnvironment.localToday
    ) {
        self.store = store
        self.settings = settings
        self.throttle = SignInThrottle(attempts: settings.signInAttempts, window: settings.signInWindow)
        self.dummyHash = DummyPasswordHash(cost: settings.bcryptCost)
        self.logger = logger
        self.today = today
    }

    /// Today on this machine's calendar (its time zone).
    @Sendable package static func localToday() -> LocalDate {
        let today = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: today.year ?? 1970, month: today.month ?? 1, day: today.day ?? 1)
    }
}
