public import SMDRCore

/// Turns matched billable legs into charges (DESIGN §7). Pure: no I/O, no clock.
///
/// `init` builds the plan lookups once; ``rate(_:)`` takes the legs of complete calls (a day, a
/// month: every leg of a call and of a timekeeper's client day must be in one call to it) and
/// returns their charges in a stable order, so the same legs always give the same charges.
public struct Rater: Sendable {
    /// What one call to ``rate(_:)`` gives.
    public struct Result: Hashable, Sendable {
        public var charges: [Charge]
        public var unrated: [UnratedLeg]

        public init(charges: [Charge] = [], unrated: [UnratedLeg] = []) {
            self.charges = charges
            self.unrated = unrated
        }
    }

    /// `register` gives the plans, the rate assignments and the timekeepers' names; `sites` the
    /// names of site ids (rate assignments name sites).
    public init(register: Register, sites: [Site]) {
        fatalError("part A")
    }

    /// Rates the legs: those without a client (unassigned, unverified) are skipped; those with a
    /// client but no plan come back in ``Result/unrated``.
    public func rate(_ legs: [RateLeg]) -> Result {
        fatalError("part A")
    }
}
