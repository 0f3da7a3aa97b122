/// A billable leg with a client that no plan applies to: listed, never silently dropped.
public struct UnratedLeg: Hashable, Sendable {
    public var leg: RateLeg
    /// Why, in words (`no plan for client ACME, matter M1, timekeeper TK1 at site demo on 2026-04-02 09:00:00`).
    public var reason: String

    public init(leg: RateLeg, reason: String) {
        self.leg = leg
        self.reason = reason
    }
}
