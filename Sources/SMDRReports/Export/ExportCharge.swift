package import SMDRCore
package import SMDRRating

/// One charge as billing staff get it out of smdr (`smdr export`, statements): the columns of
/// `smdr.charges` (DESIGN §7) with the client's and matter's names, the timekeeper's
/// classification, and the calls it covers.
///
/// Every text comes from outside in the end (a caller's name arrives over SIP, a client's name from
/// the practice-management system): writers neutralise or escape each value for their format.
package struct ExportCharge: Sendable, Hashable {
    package var chargeID: Int64
    package var ratingRun: Int64
    package var kind: Charge.Kind
    package var site: String
    package var clientID: String
    package var clientName: String
    /// `nil` when the code bills the client without a matter.
    package var matterID: String?
    package var matterName: String?
    package var code: String
    /// `nil` when the user is not a registered timekeeper.
    package var timekeeperID: String?
    /// The registered name, else the user's name on the PBX.
    package var timekeeperName: String
    /// The register's classification (`PT`, `AS`, …); `nil` when not registered or not given.
    package var timekeeperClassification: String?
    /// Local day (at the site) of the start of the first call covered.
    package var chargeDate: LocalDate
    /// `leg`, `call` or `client_day`.
    package var scope: String
    /// Calls the charge covers (`calls` of `smdr.charges`; `calls.count` when every call was found).
    package var callCount: Int
    /// Billable legs the charge covers.
    package var legCount: Int
    /// Talk (+ hold when billed) before grace, minimum and rounding; 0 for an expense.
    package var rawSeconds: Int
    /// After grace, minimum and rounding; 0: not billed.
    package var billedSeconds: Int
    /// `billedSeconds / 3600`, exact to 4 decimals or half-up to 6.
    package var billedHours: ExactDecimal
    /// `nil` for an expense.
    package var hourlyRate: ExactDecimal?
    /// At the currency's minor unit (its scale).
    package var amount: ExactDecimal
    /// ISO 4217.
    package var currency: String
    package var planID: String
    /// Match rules, comma-separated (`code`, `number,manual`).
    package var rule: String
    /// How the amount was derived, in words.
    package var trace: String
    /// A leg's external number is a blocked client number: check before billing.
    package var blocked: Bool
    /// Local start of the first leg covered.
    package var firstStartLocal: LocalDateTime
    /// The month is closed (`smdr period close`).
    package var closed: Bool
    /// The calls covered, in order of start.
    package var calls: [ExportCall]
    /// The sum of the amounts of the exported charges of this charge's client, matter and
    /// currency — its LEDES invoice's total — read in the same snapshot, so the LEDES writer can
    /// write each line as it comes; `nil` when not known (LEDES refuses such a charge).
    package var invoiceTotal: ExactDecimal?

    package init(
        chargeID: Int64, ratingRun: Int64, kind: Charge.Kind, site: String, clientID: String, clientName: String,
        matterID: String?, matterName: String?, code: String, timekeeperID: String?, timekeeperName: String,
        timekeeperClassification: String?, chargeDate: LocalDate, scope: String, callCount: Int, legCount: Int,
        rawSeconds: Int, billedSeconds: Int, billedHours: ExactDecimal, hourlyRate: ExactDecimal?, amount: ExactDecimal,
        currency: String, planID: String, rule: String, trace: String, blocked: Bool, firstStartLocal: LocalDateTime,
        closed: Bool, calls: [ExportCall], invoiceTotal: ExactDecimal? = nil
    ) {
        self.chargeID = chargeID
        self.ratingRun = ratingRun
        self.kind = kind
        self.site = site
        self.clientID = clientID
        self.clientName = clientName
        self.matterID = matterID
        self.matterName = matterName
        self.code = code
        self.timekeeperID = timekeeperID
        self.timekeeperName = timekeeperName
        self.timekeeperClassification = timekeeperClassification
        self.chargeDate = chargeDate
        self.scope = scope
        self.callCount = callCount
        self.legCount = legCount
        self.rawSeconds = rawSeconds
        self.billedSeconds = billedSeconds
        self.billedHours = billedHours
        self.hourlyRate = hourlyRate
        self.amount = amount
        self.currency = currency
        self.planID = planID
        self.rule = rule
        self.trace = trace
        self.blocked = blocked
        self.firstStartLocal = firstStartLocal
        self.closed = closed
        self.calls = calls
        self.invoiceTotal = invoiceTotal
    }
}
