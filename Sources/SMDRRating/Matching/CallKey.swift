public import SMDRCore

/// One call of a site: its Call ID and the Call Start of its first leg (Call IDs restart after
/// a PBX reboot, so the ID alone is not a key).
public struct CallKey: Hashable, Sendable, Comparable {
    public var siteID: Int
    public var callID: Int
    /// Local Call Start of the call's first leg.
    public var startLocal: LocalDateTime

    public init(siteID: Int, callID: Int, startLocal: LocalDateTime) {
        self.siteID = siteID
        self.callID = callID
        self.startLocal = startLocal
    }

    public static func < (lhs: CallKey, rhs: CallKey) -> Bool {
        (lhs.siteID, lhs.startLocal, lhs.callID) < (rhs.siteID, rhs.startLocal, rhs.callID)
    }
}
