/// Groups legs into calls (DESIGN §6): same site and Call ID, Call Start within a window of the
/// call's first leg.
///
/// SKELETON: the Matching helper owns this file.
public struct CallStitcher: Sendable {
    /// Default window: 24 h.
    public static let defaultWindowSeconds = 86_400
    public var windowSeconds: Int

    public init(windowSeconds: Int = CallStitcher.defaultWindowSeconds) {
        self.windowSeconds = windowSeconds
    }

    /// The calls of `legs` (any order), each with its legs ordered; calls ordered by key.
    public func stitch(_ legs: [MatchLeg]) -> [StitchedCall] {
        var groups: [Int: [Int: [MatchLeg]]] = [:]
        for leg in legs { groups[leg.key.siteID, default: [:]][leg.key.callID, default: []].append(leg) }
        var calls: [StitchedCall] = []
        for (_, byID) in groups {
            for (_, group) in byID {
                let sorted = group.sorted { ($0.startEpoch, $0.key.legOrdinal) < ($1.startEpoch, $1.key.legOrdinal) }
                var current: [MatchLeg] = []
                for leg in sorted {
                    if let first = current.first, leg.startEpoch - first.startEpoch > self.windowSeconds {
                        calls.append(StitchedCall(key: CallKey(siteID: first.key.siteID, callID: first.key.callID, startLocal: first.key.startLocal), legs: current))
                        current = []
                    }
                    current.append(leg)
                }
                if let first = current.first {
                    calls.append(StitchedCall(key: CallKey(siteID: first.key.siteID, callID: first.key.callID, startLocal: first.key.startLocal), legs: current))
                }
            }
        }
        return calls.sorted { $0.key < $1.key }
    }
}
