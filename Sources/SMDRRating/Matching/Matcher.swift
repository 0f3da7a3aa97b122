public import SMDRCore

/// Gives every billable leg of a set of calls its code, by DESIGN §6's precedence.
///
/// SKELETON: the Matching helper owns this file; the API stays.
public struct Matcher: Sendable {
    /// - Parameters:
    ///   - register: the codes, numbers, defaults and timekeepers to match against.
    ///   - sites: every site the legs come from (id set), for dial plans and site names.
    ///   - manualAssignments: codes people gave calls; they win over every rule.
    public init(register: Register, sites: [Site], manualAssignments: [ManualAssignment]) {
    }

    /// The billable legs of `calls` with their matches, in the calls' order. Conference legs are
    /// linked across the given calls (pass whole periods).
    public func match(_ calls: [StitchedCall]) -> [LegMatch] {
        []
    }
}
