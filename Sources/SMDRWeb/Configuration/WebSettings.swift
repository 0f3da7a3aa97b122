package import SMDRPipeline
package import SMDRListener

/// The web app's settings (`smdr web`, `serve --web`): where it listens, how long sessions
/// last, how sign-in is throttled, and the limits of one request. Flag, then environment, then
/// the configuration file, then the default, like `serve`'s.
package struct WebSettings: Sendable {
    /// `SMDR_WEB`: HOST:PORT; `nil` when `off`.
    package var listen: Endpoint?
    /// `SMDR_WEB_PUBLIC_URL`: the address people open (behind a TLS proxy, its `https://` one);
    /// cookies are `Secure` when it is `https`.
    package var publicURL: String?
    /// `SMDR_WEB_TRUSTED_PROXY`: the reverse proxies whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` are believed (``ClientAddress``), as normalized IP addresses; empty:
    /// none, both headers are ignored.
    package var trustedProxies: Set<String> = []
    /// `SMDR_WEB_SESSION_IDLE`: a session ends after this long without a request.
    package var sessionIdle: Duration
    /// `SMDR_WEB_SESSION_LIFETIME`: a session ends this long after sign-in, whatever happens.
    package var sessionLifetime: Duration
    /// `SMDR_WEB_SIGNIN_ATTEMPTS` failed sign-ins per address (and per name) within
    /// `SMDR_WEB_SIGNIN_WINDOW`; more are refused until the window has passed.
    package var signInAttempts: Int
    package var signInWindow: Duration
    /// `SMDR_WEB_BCRYPT_COST`: bcrypt's cost for new passwords (each step doubles the work).
    package var bcryptCost: Int
    /// `SMDR_WEB_PAGE_SIZE`: rows in one page of a list (review queue, calls, register).
    package var pageSize: Int
    /// `SMDR_WEB_MAX_BODY`: the largest request body (a register CSV upload), in bytes.
    package var maxBodyBytes: Int
    /// The firm, paper and Chromium of statements (the same settings as `smdr statement`).
    package var output: OutputSettings

    /// The public address is `https` (cookies get `Secure`; so they do when a trusted proxy
    /// says the request came over https: ``SessionMiddleware`` decides, per request).
    package var isSecure: Bool { self.publicURL?.lowercased().hasPrefix("https://") ?? false }

    package static let defaultListen = "127.0.0.1:8080"
    package static let defaultSessionIdle: Duration = .seconds(3_600)
    package static let defaultSessionLifetime: Duration = .seconds(12 * 3_600)
    package static let defaultSignInAttempts = 5
    package static let defaultSignInWindow: Duration = .seconds(15 * 60)
    package static let defaultBcryptCost = 12
    /// bcrypt's own bounds; below 10 is too cheap to stand for a password store.
    package static let bcryptCosts = 10...31
    package static let defaultPageSize = 50
    package static let defaultMaxBodyBytes = 8 << 20

    /// Every setting, for the README and the example configuration (checked by a test).
    package static let settings: [ServeConfiguration.Setting] = [
        .init(environment: "SMDR_WEB", flag: "--web (serve), --listen (web)", defaultValue: "127.0.0.1:8080",
              meaning: "HOST:PORT of the web app for billing staff; off disables it in serve."),
        .init(environment: "SMDR_WEB_PUBLIC_URL", flag: "--public-url", defaultValue: "none",
              meaning: "The address people open, e.g. https://smdr.example.com behind a TLS proxy: cookies are Secure when it is https, and make run prints it."),
        .init(environment: "SMDR_WEB_TRUSTED_PROXY", flag: "--trusted-proxy", defaultValue: "none",
              meaning: "IP address(es), comma-separated, of the reverse proxy in front of the web app: from it, the client is the right-most X-Forwarded-For address that is not a trusted proxy (for the sign-in throttle), and X-Forwarded-Proto: https makes cookies Secure. Without it both headers are ignored."),
        .init(environment: "SMDR_WEB_SESSION_IDLE", flag: "--session-idle", defaultValue: "1h",
              meaning: "A web session ends after this long without a request."),
        .init(environment: "SMDR_WEB_SESSION_LIFETIME", flag: "--session-lifetime", defaultValue: "12h",
              meaning: "A web session ends this long after sign-in, however busy."),
        .init(environment: "SMDR_WEB_SIGNIN_ATTEMPTS", flag: "--signin-attempts", defaultValue: "5",
              meaning: "Failed sign-ins allowed per address and per user name within SMDR_WEB_SIGNIN_WINDOW; more are refused (429) until it passes."),
        .init(environment: "SMDR_WEB_SIGNIN_WINDOW", flag: "--signin-window", defaultValue: "15m",
              meaning: "The window of SMDR_WEB_SIGNIN_ATTEMPTS."),
        .init(environment: "SMDR_WEB_BCRYPT_COST", flag: "--bcrypt-cost", defaultValue: "12",
              meaning: "bcrypt cost of new passwords (10 to 31; each step doubles the work of checking one)."),
        .init(environment: "SMDR_WEB_PAGE_SIZE", flag: "--page-size", defaultValue: "50",
              meaning: "Rows in one page of the review queue, the calls and the register lists."),
        .init(environment: "SMDR_WEB_MAX_BODY", flag: "--max-body", defaultValue: "8MiB",
              meaning: "Largest request body the web app reads (a register CSV upload); a larger one is refused (413)."),
    ]

    /// The setting named `environment` (its flag's help text); a name that is not a setting is a
    /// programming error.
    package static func setting(environment: String) -> ServeConfiguration.Setting {
        guard let setting = Self.settings.first(where: { $0.environment == environment }) else {
            preconditionFailure("no web setting \(environment)")
        }
        return setting
    }

    /// The values given on the command line, if any.
    package struct Flags: Sendable {
        package var listen: String?
        package var publicURL: String?
        package var trustedProxy: String?
        package var sessionIdle: String?
        package var sessionLifetime: String?
        package var signInAttempts: String?
        package var signInWindow: String?
        package var bcryptCost: String?
        package var pageSize: String?
        package var maxBody: String?
        package var output = OutputSettings.Flags()

        package init() {}
    }

    package static func resolve(flags: Flags, source: SettingsSource) throws(SettingsError) -> WebSettings {
        func given(_ name: String, _ flag: String?, _ flagName: String) -> (text: String, origin: String)? {
            if let flag { return (flag, flagName) }
            return source.text(name).map { ($0, name) }
        }
        func duration(_ name: String, _ flag: String?, _ flagName: String, _ fallback: Duration) throws(SettingsError) -> Duration {
            guard let given = given(name, flag, flagName) else { return fallback }
            guard let value = SettingValue.duration(given.text), value > .zero else {
                throw SettingsError(name: given.origin, message: "expected \(SettingValue.durationExpectation), larger than 0, got '\(given.text)'")
            }
            return value
        }
        func integer(_ name: String, _ flag: String?, _ flagName: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(SettingsError) -> Int {
            guard let given = given(name, flag, flagName) else { return fallback }
            guard let value = Int(given.text), range.contains(value) else {
                throw SettingsError(name: given.origin, message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(given.text)'")
            }
            return value
        }

        let listenText = given("SMDR_WEB", flags.listen, "--web") ?? (Self.defaultListen, "SMDR_WEB")
        var listen: Endpoint?
        if listenText.text.lowercased() != "off" {
            guard let endpoint = Endpoint(listenText.text) else {
                throw SettingsError(name: listenText.origin, message: "expected HOST:PORT (IPv6 as [ADDRESS]:PORT) or off, got '\(listenText.text)'")
            }
            listen = endpoint
        }
        var trustedProxies: Set<String> = []
        if let given = given("SMDR_WEB_TRUSTED_PROXY", flags.trustedProxy, "--trusted-proxy"), given.text.lowercased() != "none" {
            for item in given.text.split(separator: ",") {
                let text = item.filter { !$0.isWhitespace }
                guard let address = ClientAddress.normalized(text) else {
                    throw SettingsError(name: given.origin, message: "expected IP addresses, comma-separated, or none, got '\(text)'")
                }
                trustedProxies.insert(address)
            }
        }
        var publicURL: String?
        if let given = given("SMDR_WEB_PUBLIC_URL", flags.publicURL, "--public-url"), !given.text.isEmpty {
            let lower = given.text.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw SettingsError(name: given.origin, message: "expected an http:// or https:// address, got '\(given.text)'")
            }
            publicURL = given.text
        }
        var maxBody = Self.defaultMaxBodyBytes
        if let given = given("SMDR_WEB_MAX_BODY", flags.maxBody, "--max-body") {
            guard let value = SettingValue.size(given.text), value >= 1024, value <= Int64(Int32.max) else {
                throw SettingsError(name: given.origin, message: "expected \(SettingValue.sizeExpectation), from 1KiB to 2GiB, got '\(given.text)'")
            }
            maxBody = Int(value)
        }
        let idle = try duration("SMDR_WEB_SESSION_IDLE", flags.sessionIdle, "--session-idle", Self.defaultSessionIdle)
        let lifetime = try duration("SMDR_WEB_SESSION_LIFETIME", flags.sessionLifetime, "--session-lifetime", Self.defaultSessionLifetime)
        return WebSettings(
            listen: listen, publicURL: publicURL, trustedProxies: trustedProxies, sessionIdle: idle, sessionLifetime: lifetime,
            signInAttempts: try integer("SMDR_WEB_SIGNIN_ATTEMPTS", flags.signInAttempts, "--signin-attempts", Self.defaultSignInAttempts, 1...1_000_000),
            signInWindow: try duration("SMDR_WEB_SIGNIN_WINDOW", flags.signInWindow, "--signin-window", Self.defaultSignInWindow),
            bcryptCost: try integer("SMDR_WEB_BCRYPT_COST", flags.bcryptCost, "--bcrypt-cost", Self.defaultBcryptCost, Self.bcryptCosts),
            pageSize: try integer("SMDR_WEB_PAGE_SIZE", flags.pageSize, "--page-size", Self.defaultPageSize, 1...10_000),
            maxBodyBytes: maxBody,
            output: try OutputSettings.resolve(flags: flags.output, source: source)
        )
    }
}
