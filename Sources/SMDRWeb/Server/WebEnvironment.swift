package import Logging
package import SMDRPostgres

/// What every route needs: the database, the settings, the sign-in throttle, a logger.
package struct WebEnvironment: Sendable {
    package var store: PostgresStore
    package var settings: WebSettings
    package var throttle: SignInThrottle
    /// What an unknown name's password is checked against (at `settings.bcryptCost`).
    package var dummyHash: DummyPasswordHash
    package var logger: Logger

    package init(store: PostgresStore, settings: WebSettings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.throttle = SignInThrottle(attempts: settings.signInAttempts, window: settings.signInWindow)
        self.dummyHash = DummyPasswordHash(cost: settings.bcryptCost)
        self.logger = logger
    }
}
