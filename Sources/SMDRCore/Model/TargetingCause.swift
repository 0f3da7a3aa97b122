/// Field 28, External Targeting Cause: who or what caused an external call, and why.
///
/// Written `<who> <reason>` (`U XfP`), without the space in a newer document (`UFU`),
/// or as a bare `<who>` on ordinary outbound calls (`U`).
public struct TargetingCause: Hashable, Sendable, CustomStringConvertible {
    /// `HG`, `U`, `LINE`, `AA`, `ICR`, `RAS` or `?`, as written.
    public var targeter: String
    /// `fb`, `fu`, `fnr`, `fdnd`, `CfP`, `Cfd`, `MT`, `TW`, `XfP`, `Xfd`, …, as written; `nil` when absent.
    public var reason: String?

    public init(targeter: String, reason: String?) {
        self.targeter = targeter
        self.reason = reason
    }

    public var description: String {
        if let reason = self.reason { return "\(self.targeter) \(reason)" }
        return self.targeter
    }
}
