public import SMDRCore

/// One stored leg: the key of `smdr.call_leg`.
public struct LegKey: Hashable, Sendable {
    public var siteID: Int
    /// `call_leg.call_month`: the month of the line's Call Start as read from its first bytes,
    /// which is 0001-01-01 for a line that does not start with its date (a byte order mark).
    public var callMonth: LocalDate
    public var callID: Int
    /// The leg's own Call Start (local), which Call Splitting for Diverts may move.
    public var startLocal: LocalDateTime
    public var legOrdinal: Int

    /// - Parameter callMonth: `nil`: the first day of `startLocal`'s month, as for every line
    ///   that starts with its date.
    public init(siteID: Int, callMonth: LocalDate? = nil, callID: Int, startLocal: LocalDateTime, legOrdinal: Int) {
        self.siteID = siteID
        self.callMonth = callMonth ?? LocalDate(year: startLocal.year, month: startLocal.month, day: 1)
        self.callID = callID
        self.startLocal = startLocal
        self.legOrdinal = legOrdinal
    }
}
