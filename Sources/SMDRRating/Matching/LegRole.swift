import SMDRCore

/// What one leg is for billing (DESIGN §6), from its two parties' device kinds and its
/// connected time alone.
///
/// | party kinds | connected | role |
/// |---|---|---|
/// | extension ↔ trunk | > 0 | ``talk(userIsParty1:)``: billable talk of that user |
/// | extension ↔ conference channel | > 0 | ``conferenceUser(userIsParty1:)``: billable when the conference has an external party |
/// | conference channel ↔ trunk | > 0 | ``conferenceExternal(channelIsParty1:)``: the conference's external party (not billed itself) |
/// | anything else (internal, voicemail, tones, lost or unanswered calls) | | ``none`` |
package enum LegRole: Hashable, Sendable {
    case talk(userIsParty1: Bool)
    case conferenceUser(userIsParty1: Bool)
    case conferenceExternal(channelIsParty1: Bool)
    case none

    package init(_ leg: MatchLeg) {
        guard leg.connectedSeconds > 0 else {
            self = .none
            return
        }
        switch (leg.party1Device.kind, leg.party2Device.kind) {
        case (.extension, .trunk): self = .talk(userIsParty1: true)
        case (.trunk, .extension): self = .talk(userIsParty1: false)
        case (.extension, .conference): self = .conferenceUser(userIsParty1: true)
        case (.conference, .extension): self = .conferenceUser(userIsParty1: false)
        case (.conference, .trunk): self = .conferenceExternal(channelIsParty1: true)
        case (.trunk, .conference): self = .conferenceExternal(channelIsParty1: false)
        default: self = .none
        }
    }

    /// The leg is billed to its internal user (talk, or a conference leg once linked to an
    /// external party).
    package var billsUser: Bool {
        switch self {
        case .talk, .conferenceUser: return true
        case .conferenceExternal, .none: return false
        }
    }
}

extension MatchLeg {
    /// The external party's number of a leg with a trunk party: caller for inbound, dialled for
    /// outbound (whatever Is Internal says: the trunk makes it external).
    var trunkPartyNumber: String {
        self.direction == .inbound ? self.callerNumber : self.dialledNumber
    }

    /// The conference number of the leg's conference-channel party (`channelIsParty1` says which).
    func conferenceNumber(channelIsParty1: Bool) -> Int? {
        channelIsParty1
            ? ConferenceNumber.of(device: self.party1Device, name: self.party1Name)
            : ConferenceNumber.of(device: self.party2Device, name: self.party2Name)
    }
}
