public import SMDRCore

/// A plan attached to what it bills, from when (`rates`, DESIGN §7). Most specific first:
/// matter+timekeeper, matter, client+timekeeper, client, timekeeper, site default; an assignment
/// limited to one site beats the same kind for every site. The one effective at a call's local
/// start applies.
public struct RateAssignment: Hashable, Sendable {
    public var planID: String
    /// `nil`: any client.
    public var clientID: String?
    /// A matter of ``clientID``; `nil`: any matter.
    public var matterID: String?
    /// `nil`: anyone's time.
    public var timekeeperID: String?
    /// Site name; `nil`: every site.
    public var site: String?
    /// Local time at the call's site, inclusive; `nil`: always before.
    public var effectiveFrom: LocalDateTime?
    /// Local time, exclusive; `nil`: open-ended.
    public var effectiveTo: LocalDateTime?

    public init(
        planID: String, clientID: String? = nil, matterID: String? = nil, timekeeperID: String? = nil, site: String? = nil,
        effectiveFrom: LocalDateTime? = nil, effectiveTo: LocalDateTime? = nil
    ) {
        self.planID = planID
        self.clientID = clientID
        self.matterID = matterID
        self.timekeeperID = timekeeperID
        self.site = site
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
    }
}
