import SMDRCore

/// Groups legs into calls (DESIGN §6): same site and Call ID, Call Start within a window of the
/// call's first leg.
///
/// Call IDs restart at 1,000,000 after a PBX reboot, so the same ID days later is another call;
/// with Call Splitting for Diverts later legs carry a new Call Start, which stays the same call
/// while it is within the window. Legs may come in any order (they interleave and arrive minutes
/// apart): the stitcher sorts compact keys, O(n log n), and touches each leg once more to group it.
public struct CallStitcher: Sendable {
    /// Default window: 24 h.
    public static let defaultWindowSeconds = 86_400
    /// A leg whose Call Start is at most this many seconds after the call's first leg belongs to
    /// the call (inclusive); a later one starts a new call with the same Call ID.
    public var windowSeconds: Int

    public init(windowSeconds: Int = CallStitcher.defaultWindowSeconds) {
        self.windowSeconds = windowSeconds
    }

    private struct LegOrder {
        var site: Int
        var callID: Int
        var start: Int
        var ordinal: Int
        var index: Int
    }

    private struct CallOrder {
        var site: Int
        var startLocal: Int
        var callID: Int
        var index: Int
    }

    /// The calls of `legs` (any order), each with its legs ordered by Call Start (as an instant),
    /// then leg ordinal; calls ordered by key (site, local start of the first leg, Call ID).
    public func stitch(_ legs: [MatchLeg]) -> [StitchedCall] {
        var order = legs.indices.map { index in
            let key = legs[index].key
            return LegOrder(site: key.siteID, callID: key.callID, start: legs[index].startEpoch, ordinal: key.legOrdinal, index: index)
        }
        order.sort { ($0.site, $0.callID, $0.start, $0.ordinal, $0.index) < ($1.site, $1.callID, $1.start, $1.ordinal, $1.index) }

        var calls: [StitchedCall] = []
        var callOrder: [CallOrder] = []
        var first = 0
        while first < order.count {
            let head = order[first]
            var end = first + 1
            while end < order.count, order[end].site == head.site, order[end].callID == head.callID,
                order[end].start - head.start <= self.windowSeconds
            {
                end += 1
            }
            let firstLeg = legs[head.index]
            let key = CallKey(siteID: head.site, callID: head.callID, startLocal: firstLeg.key.startLocal)
            callOrder.append(CallOrder(site: key.siteID, startLocal: key.startLocal.packed, callID: key.callID, index: calls.count))
            var callLegs: [MatchLeg] = []
            callLegs.reserveCapacity(end - first)
            for position in first..<end { callLegs.append(legs[order[position].index]) }
            calls.append(StitchedCall(key: key, legs: callLegs))
            first = end
        }
        callOrder.sort { ($0.site, $0.startLocal, $0.callID, $0.index) < ($1.site, $1.startLocal, $1.callID, $1.index) }
        Self.permute(&calls, to: callOrder.map(\.index))
        return calls
    }

    /// Puts `elements[source[i]]` at position `i` for every `i` (`source` is a permutation of the
    /// indices), in place: following each cycle with swaps moves the elements rather than copying
    /// them into a new array and releasing the old one.
    static func permute<Element>(_ elements: inout [Element], to source: [Int]) {
        var source = source
        for start in source.indices where source[start] != start {
            var position = start
            while source[position] != start {
                let next = source[position]
                elements.swapAt(position, next)
                source[position] = position
                position = next
            }
            source[position] = position
        }
    }
}

extension LocalDateTime {
    /// The date and time as one integer that sorts as the date and time do (`YYYYMMDDhhmmss`).
    var packed: Int {
        ((((self.year * 100 + self.month) * 100 + self.day) * 100 + self.hour) * 100 + self.minute) * 100 + self.second
    }
}
