/// The legs of one call, in the order the PBX finished them.
public struct StitchedCall: Hashable, Sendable {
    public var key: CallKey
    /// Ordered by Call Start, then leg ordinal (arrival order among legs of one start).
    public var legs: [MatchLeg]

    public init(key: CallKey, legs: [MatchLeg]) {
        self.key = key
        self.legs = legs
    }

    /// The leg with Continuation 0 has arrived.
    public var hasFinalLeg: Bool { self.legs.contains { !$0.isContinued } }

    /// Complete: the final leg has arrived, or the newest leg started more than `idleSeconds`
    /// (plus its own duration) before `nowEpoch`.
    public func isComplete(nowEpoch: Int, idleSeconds: Int) -> Bool {
        if self.hasFinalLeg { return true }
        let end = self.legs.map { $0.startEpoch + $0.ringSeconds + $0.connectedSeconds + $0.holdSeconds + $0.parkSeconds }.max() ?? 0
        return end + idleSeconds < nowEpoch
    }

    /// The last non-empty Account among the legs (IP Office records only the last code entered).
    public var accountCode: String { Self.accountCode(of: self.legs.span) }

    /// ``accountCode`` of a call's legs, read in place (`last(where:)` would copy each leg whole
    /// to read one field).
    static func accountCode(of legs: Span<MatchLeg>) -> String {
        for index in legs.indices.reversed() where !legs[index].accountCode.isEmpty { return legs[index].accountCode }
        return ""
    }
}
