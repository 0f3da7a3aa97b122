/// Links conference legs across Call IDs (DESIGN §6): legs of one site and conference number
/// whose time intervals overlap are one conference; its external parties are its
/// conference-channel ↔ trunk legs.
///
/// A leg's interval is `[Call Start, Call Start + ring + connected + hold + park]` (epoch
/// seconds), where the end also adds the times of the earlier legs of the same call that carry the
/// same Call Start: every later record of a call repeats the call's start, so a conference leg
/// that ends a call which talked and held first (Avaya's 2121 in conference 100) would otherwise
/// seem to end before the conference began. Intervals that touch overlap.
struct ConferenceIndex {
    /// A leg by its position in the calls given to ``init(calls:)``.
    struct Position: Hashable {
        var call: Int
        var leg: Int
    }

    /// Conference of each internal user's conference leg.
    private var conferenceOfUserLeg: [Position: Int] = [:]
    /// External parties of each conference, ordered by Call Start (then input order).
    private var externalParties: [[Position]] = []
    /// How many legs of the calls bill their user once linked (talk and conference-user legs,
    /// ``LegRole/billsUser``): the most billable legs the calls can have. Counted here because
    /// this pass reads every leg anyway.
    private(set) var userLegCount = 0

    private struct Entry {
        var site: Int
        var conference: Int
        var start: Int
        var end: Int
        var position: Position
        var isExternal: Bool
    }

    init(calls: [StitchedCall]) {
        var entries: [Entry] = []
        let callSpan = calls.span
        for callIndex in callSpan.indices {
            var runStart = Int.min
            var runEnd = 0
            let legs = callSpan[callIndex].legs.span
            for legIndex in legs.indices {
                let start = legs[legIndex].startEpoch
                if start != runStart {
                    runStart = start
                    runEnd = start
                }
                runEnd += legs[legIndex].durationSeconds
                let role = LegRole(legs[legIndex])
                if role.billsUser { self.userLegCount += 1 }
                let conference: Int?
                let isExternal: Bool
                switch role {
                case .conferenceUser(let userIsParty1):
                    conference = legs[legIndex].conferenceNumber(channelIsParty1: !userIsParty1)
                    isExternal = false
                case .conferenceExternal(let channelIsParty1):
                    conference = legs[legIndex].conferenceNumber(channelIsParty1: channelIsParty1)
                    isExternal = true
                case .talk, .none:
                    continue
                }
                guard let conference else { continue }
                entries.append(
                    Entry(
                        site: legs[legIndex].key.siteID, conference: conference, start: start, end: runEnd,
                        position: Position(call: callIndex, leg: legIndex), isExternal: isExternal
                    )
                )
            }
        }
        guard !entries.isEmpty else { return }
        entries.sort {
            ($0.site, $0.conference, $0.start, $0.position.call, $0.position.leg)
                < ($1.site, $1.conference, $1.start, $1.position.call, $1.position.leg)
        }
        var groupStart = 0
        while groupStart < entries.count {
            let first = entries[groupStart]
            var groupEnd = first.end
            var next = groupStart + 1
            while next < entries.count, entries[next].site == first.site, entries[next].conference == first.conference,
                entries[next].start <= groupEnd
            {
                groupEnd = max(groupEnd, entries[next].end)
                next += 1
            }
            let group = entries[groupStart..<next]
            let external = group.filter(\.isExternal).map(\.position)
            if !external.isEmpty {
                let id = self.externalParties.count
                self.externalParties.append(external)
                for entry in group where !entry.isExternal { self.conferenceOfUserLeg[entry.position] = id }
            }
            groupStart = next
        }
    }

    /// The external parties of the conference of the internal user's conference leg at
    /// `position`; empty when it was in no conference with an external party.
    func externalParties(of position: Position) -> [Position] {
        guard let id = self.conferenceOfUserLeg[position] else { return [] }
        return self.externalParties[id]
    }
}
