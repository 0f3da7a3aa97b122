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
    public var accountCode: String {
        // By index: `last(where:)` would copy the whole leg to read one field.
        var index = self.legs.endIndex
        while index > self.legs.startIndex {
            index -= 1
            if !self.legs[index].accountCode.isEmpty { return self.legs[index].accountCode }
        }
        return ""
    }
}
