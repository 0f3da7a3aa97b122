import SMDRCore

// Call scenarios: one function per kind of call, each emitting the records IP Office would.
extension StreamGenerator {
    mutating func inboundAnswered(at start: Int64) {
        let target = self.randomPerson()
        let site = self.directory.staff[target].site
        let trunk = self.randomTrunk(site: site)
        let (cli, verification) = self.inboundCaller()
        let viaReception = site == 0 && self.random.chance(30)
        var chain = [viaReception ? self.random.element(of: self.directory.receptionists) : target]
        if viaReception {
            if self.random.chance(90) { chain.append(target) }
        } else if self.random.chance(12) {
            for _ in 0..<self.random.int(in: 1...2) { chain.append(self.randomPerson(site: site)) }
        }
        let endsInVoicemail = self.random.chance(5)
        let called = viaReception ? self.directory.receptionGroupNumber : self.directory.staff[target].number
        let dialled = self.random.chance(12)
            ? [] : (viaReception ? self.directory.sites[0].ddiPrefix + Array("0000".utf8) : self.directory.staff[target].ddi)
        let callID = self.takeCallID()
        let ring = self.random.int(in: 2...25)
        var time = start + Int64(ring)
        for (index, person) in chain.enumerated() {
            let isLast = index == chain.count - 1
            var leg = Leg(callID: callID, callStart: start)
            leg.caller = cli
            leg.isInbound = true
            leg.called = called
            leg.dialled = dialled
            leg.ring = index == 0 ? ring : 0
            leg.connected = isLast ? self.talkTime() : self.random.int(in: 10...90)
            leg.hold = isLast ? (self.random.chance(10) ? self.random.int(in: 5...120) : 0) : self.random.int(in: 3...40)
            leg.isContinued = !isLast || endsInVoicemail
            leg.party1 = .person(person)
            leg.party2 = trunk
            leg.calledServer = self.directory.staff[person].site
            leg.verification = verification
            time += Int64(leg.connected + leg.hold)
            self.emit(leg, at: time)
        }
        if endsInVoicemail {
            var leg = Leg(callID: callID, callStart: start)
            leg.caller = cli
            leg.isInbound = true
            leg.called = called
            leg.dialled = dialled
            leg.connected = self.random.int(in: 8...90)
            leg.party1 = .voicemail(channel: self.random.int(in: 1...30))
            leg.party2 = trunk
            leg.verification = verification
            self.emit(leg, at: time + Int64(leg.connected))
        }
    }

    mutating func inboundLost(at start: Int64) {
        let target = self.randomPerson()
        var leg = self.inboundDirectLeg(to: target, at: start)
        leg.ring = self.random.int(in: 8...60)
        leg.party1 = .person(target)
        leg.party2 = self.randomTrunk(site: self.directory.staff[target].site)
        leg.calledServer = self.directory.staff[target].site
        self.emit(leg, at: start + Int64(leg.ring))
    }

    mutating func inboundStraightToVoicemail(at start: Int64) {
        let target = self.randomPerson()
        var leg = self.inboundDirectLeg(to: target, at: start)
        leg.ring = self.random.int(in: 10...20)
        leg.connected = self.random.int(in: 8...90)
        leg.party1 = self.randomTrunk(site: self.directory.staff[target].site)
        leg.party2 = .voicemail(channel: self.random.int(in: 1...30))
        self.emit(leg, at: start + Int64(leg.ring + leg.connected))
    }

    mutating func outbound(at start: Int64) {
        let person = self.randomPerson()
        let site = self.directory.staff[person].site
        let siteInfo = self.directory.sites[site]
        var leg = Leg(callID: self.takeCallID(), callStart: start)
        leg.caller = self.directory.staff[person].number
        let outcome = self.random.weightedIndex([78, 16, 2, 4])  // answered, no answer, barred, failed
        let number = outcome == 2 ? self.digits("09098790", 3) : self.externalNumber()
        leg.called = [siteInfo.outsideLinePrefix] + number
        leg.dialled = self.random.chance(5) ? number : leg.called
        if self.random.chance(20) { leg.account = self.random.element(of: self.directory.accountCodes) }
        leg.party1 = .person(person)
        leg.party2 = self.randomTrunk(site: site)
        leg.callingServer = site
        leg.calledServer = site
        switch outcome {
        case 0:
            leg.ring = self.random.int(in: 3...25)
            leg.connected = self.talkTime()
            leg.hold = self.random.chance(8) ? self.random.int(in: 5...90) : 0
            if siteInfo.hasAdviceOfCharge, self.random.chance(60) {
                leg.userCharged = self.directory.staff[person].name
                leg.chargeUnits = 1 + leg.connected / 120
            }
        case 1:
            leg.ring = self.random.int(in: 15...45)
        case 2:
            leg.party2 = .barred
        default:
            leg.party2 = .none
            leg.ring = self.random.int(in: 0...3)
            leg.calledServer = nil
        }
        if outcome != 3, self.random.chance(50) {
            leg.targeting = Array("U".utf8)
            leg.targeterID = self.directory.staff[person].name
        }
        self.emit(leg, at: start + Int64(leg.ring + leg.connected + leg.hold))
    }

    mutating func internalCall(at start: Int64) {
        let caller = self.randomPerson()
        let site = self.directory.staff[caller].site
        let callee = self.randomPerson(site: site, excluding: caller)
        var leg = self.internalLeg(from: caller, to: callee, start: start)
        switch self.random.weightedIndex([80, 15, 5]) {
        case 0:
            leg.ring = self.random.int(in: 2...12)
            leg.connected = self.talkTime() / 2 + 3
        case 1:
            leg.ring = self.random.int(in: 15...20)
            leg.connected = self.random.int(in: 5...45)
            leg.party2 = .voicemail(channel: self.random.int(in: 1...30))
        default:
            leg.ring = self.random.int(in: 5...30)
        }
        self.emit(leg, at: start + Int64(leg.ring + leg.connected))
    }

    mutating func networkCall(at start: Int64) {
        let caller = self.randomPerson()
        let callerSite = self.directory.staff[caller].site
        var calleeSite = self.random.below(self.directory.sites.count - 1)
        if calleeSite >= callerSite { calleeSite += 1 }
        let callee = self.randomPerson(site: calleeSite)
        var leg = self.internalLeg(from: caller, to: callee, start: start)
        leg.ring = self.random.int(in: 2...15)
        leg.connected = self.talkTime()
        leg.hold = self.random.chance(10) ? self.random.int(in: 5...60) : 0
        self.emit(leg, at: start + Int64(leg.ring + leg.connected + leg.hold))
    }

    mutating func callPickup(at start: Int64) {
        let caller = self.randomPerson()
        let site = self.directory.staff[caller].site
        let callee = self.randomPerson(site: site, excluding: caller)
        let picker = self.randomPerson(site: site, excluding: callee)
        var first = self.internalLeg(from: caller, to: callee, start: start)
        first.ring = self.random.int(in: 4...15)
        first.isContinued = true
        let pickedAt = start + Int64(first.ring)
        self.emit(first, at: pickedAt)
        var second = self.internalLeg(from: caller, to: callee, start: start, callID: first.callID)
        second.party2 = .person(picker)
        second.ring = 1
        second.connected = self.talkTime() / 2 + 2
        self.emit(second, at: pickedAt + Int64(second.ring + second.connected))
    }

    mutating func parkAndUnpark(at start: Int64) {
        let caller = self.randomPerson()
        let site = self.directory.staff[caller].site
        let parker = self.randomPerson(site: site, excluding: caller)
        let unparker = self.randomPerson(site: site, excluding: parker)
        var first = self.internalLeg(from: caller, to: parker, start: start)
        first.ring = self.random.int(in: 2...8)
        first.connected = self.random.int(in: 0...30)
        first.park = self.random.int(in: 3...60)
        first.isContinued = true
        let unparkedAt = start + Int64(first.ring + first.connected + first.park)
        self.emit(first, at: unparkedAt)
        var second = self.internalLeg(from: caller, to: parker, start: start, callID: first.callID)
        second.party2 = .person(unparker)
        second.connected = self.talkTime() / 2 + 2
        self.emit(second, at: unparkedAt + Int64(second.connected))
    }

    /// Avaya's "Transferred Manually": X calls A; A consults an external number on a new call
    /// (`U XfP`, continued) and transfers X to it; the external call's last record is `U Xfd`.
    mutating func manualTransferToExternal(at start: Int64) {
        let caller = self.randomPerson()
        let site = self.directory.staff[caller].site
        let transferrer = self.randomPerson(site: site, excluding: caller)
        var original = self.internalLeg(from: caller, to: transferrer, start: start)
        let consultationID = self.takeCallID()
        original.ring = self.random.int(in: 2...10)
        original.connected = self.random.int(in: 10...120)
        let consultationStart = start + Int64(original.ring + original.connected)
        let number = self.externalNumber()
        let called = [self.directory.sites[site].outsideLinePrefix] + number
        let trunk = self.randomTrunk(site: site)

        var proposal = Leg(callID: consultationID, callStart: consultationStart)
        proposal.caller = self.directory.staff[transferrer].number
        proposal.called = called
        proposal.dialled = called
        proposal.ring = self.random.int(in: 3...20)
        proposal.connected = self.random.int(in: 5...60)
        proposal.isContinued = true
        proposal.party1 = .person(transferrer)
        proposal.party2 = trunk
        proposal.targeting = Array("U XfP".utf8)
        proposal.targeterID = self.directory.staff[caller].name
        proposal.callingServer = site
        let transferredAt = consultationStart + Int64(proposal.ring + proposal.connected)
        self.emit(proposal, at: transferredAt)

        original.hold = Int(transferredAt - consultationStart)
        self.emit(original, at: transferredAt)

        var transferred = Leg(callID: consultationID, callStart: consultationStart)
        transferred.caller = self.directory.staff[caller].number
        transferred.called = called
        transferred.dialled = called
        transferred.connected = self.talkTime()
        transferred.party1 = .person(caller)
        transferred.party2 = trunk
        transferred.userCharged = self.directory.staff[caller].name
        transferred.targeting = Array("U Xfd".utf8)
        transferred.targeterID = self.directory.staff[transferrer].name
        transferred.callingServer = site
        self.emit(transferred, at: transferredAt + Int64(transferred.connected))
    }

    /// Avaya's "Conference Using Conference Add Short Code": A calls B and holds, calls an external
    /// number and holds, then dials `*47`; five records, the last three on conference channels.
    mutating func conference(at start: Int64) {
        let host = self.randomPerson()
        let site = self.directory.staff[host].site
        let guest = self.randomPerson(site: site, excluding: host)
        let conferenceNumber = self.nextConference
        self.nextConference = self.nextConference == 199 ? 100 : self.nextConference + 1
        let trunk = self.randomTrunk(site: site)

        var internalLeg = self.internalLeg(from: host, to: guest, start: start)
        internalLeg.ring = self.random.int(in: 2...10)
        internalLeg.connected = self.random.int(in: 10...60)
        let externalStart = start + Int64(internalLeg.ring + internalLeg.connected)
        let externalID = self.takeCallID()
        let number = [self.directory.sites[site].outsideLinePrefix] + self.externalNumber()
        var externalLeg = Leg(callID: externalID, callStart: externalStart)
        externalLeg.caller = self.directory.staff[host].number
        externalLeg.called = number
        externalLeg.dialled = number
        externalLeg.ring = self.random.int(in: 3...15)
        externalLeg.connected = self.random.int(in: 5...40)
        externalLeg.party1 = .person(host)
        externalLeg.party2 = trunk
        externalLeg.callingServer = site
        // Every other conference bills a client's code, entered when the host dialled the external
        // party (on both of that call's records). Taken from the conference number, not drawn, so
        // the other calls of a stream stay as they were.
        let account = conferenceNumber % 2 == 0
            ? self.directory.accountCodes[conferenceNumber % self.directory.accountCodes.count] : []
        externalLeg.account = account
        let conferenceStart = externalStart + Int64(externalLeg.ring + externalLeg.connected)
        let conferenceID = self.takeCallID()
        internalLeg.hold = Int(conferenceStart - externalStart)
        internalLeg.isContinued = true
        externalLeg.hold = self.random.int(in: 1...5)
        externalLeg.isContinued = true
        self.emit(externalLeg, at: conferenceStart)
        self.emit(internalLeg, at: conferenceStart)

        let length = self.talkTime()
        var add = self.internalLeg(from: host, to: guest, start: conferenceStart, callID: conferenceID)
        add.called = Array("*47".utf8)
        add.dialled = add.called
        add.connected = length
        add.party2 = .conference(number: conferenceNumber, channel: 1)
        add.calledServer = nil
        self.emit(add, at: conferenceStart + Int64(length))

        var guestLeg = self.internalLeg(from: host, to: guest, start: start, callID: internalLeg.callID)
        guestLeg.caller = []
        guestLeg.connected = length + self.random.int(in: 0...3)
        guestLeg.party1 = .person(guest)
        guestLeg.party2 = .conference(number: conferenceNumber, channel: 3)
        guestLeg.callingServer = nil
        guestLeg.calledServer = nil
        self.emit(guestLeg, at: conferenceStart + Int64(guestLeg.connected))

        var externalEnd = Leg(callID: externalID, callStart: externalStart)
        externalEnd.called = number
        externalEnd.dialled = number
        externalEnd.connected = length + self.random.int(in: 0...3)
        externalEnd.account = account
        externalEnd.party1 = .conference(number: conferenceNumber, channel: 2)
        externalEnd.party2 = trunk
        self.emit(externalEnd, at: conferenceStart + Int64(externalEnd.connected))
    }

    /// A call to a twinned user: the external twin leg is its own call (`U MT`), output when the
    /// call is answered internally, or with talk time when the twin answers.
    mutating func mobileTwinning(at start: Int64) {
        var target = self.randomPerson()
        while self.directory.staff[target].mobile == nil { target = self.randomPerson() }
        let site = self.directory.staff[target].site
        let mobile = self.directory.staff[target].mobile ?? []
        var call: Leg
        if self.random.chance(50) {
            let caller = self.randomPerson(site: site, excluding: target)
            call = self.internalLeg(from: caller, to: target, start: start)
        } else {
            call = Leg(callID: self.takeCallID(), callStart: start)
            let (cli, verification) = self.inboundCaller()
            call.caller = cli
            call.isInbound = true
            call.called = self.directory.staff[target].number
            call.dialled = self.directory.staff[target].ddi
            call.party1 = .person(target)
            call.party2 = self.randomTrunk(site: site)
            call.calledServer = site
            call.verification = verification
        }
        let twinStart = start + Int64(self.random.int(in: 1...2))
        var twin = Leg(callID: self.takeCallID(), callStart: twinStart)
        twin.called = mobile
        twin.dialled = mobile
        twin.party1 = .person(target)
        twin.party2 = self.randomTrunk(site: site)
        twin.targeting = Array("U MT".utf8)
        twin.targeterID = self.directory.staff[target].name
        twin.targetedNumber = mobile
        call.ring = self.random.int(in: 4...20)
        let answeredAt = start + Int64(call.ring)
        twin.ring = Int(answeredAt - twinStart)
        call.connected = self.talkTime()
        if self.random.chance(60) {
            self.emit(twin, at: answeredAt)
        } else {
            twin.connected = call.connected
            self.emit(twin, at: answeredAt + Int64(twin.connected))
        }
        self.emit(call, at: answeredAt + Int64(call.connected))
    }

    mutating func forwardOffSwitch(at start: Int64) {
        let target = self.randomPerson()
        let site = self.directory.staff[target].site
        var leg = self.inboundDirectLeg(to: target, at: start)
        leg.party1 = self.randomTrunk(site: site)
        leg.party2 = self.randomTrunk(site: site)
        leg.targetedNumber = self.directory.staff[target].mobile ?? self.externalNumber()
        switch self.random.weightedIndex([60, 30, 10]) {
        case 0:
            leg.targeting = Array("U fu".utf8)
            leg.targeterID = self.directory.staff[target].name
            leg.ring = self.random.int(in: 3...15)
        case 1:
            leg.targeting = Array("U fnr".utf8)
            leg.targeterID = self.directory.staff[target].name
            leg.ring = self.random.int(in: 18...35)
        default:
            leg.targeting = Array("HG fnr".utf8)
            leg.targeterID = self.directory.receptionGroupName
            leg.called = self.directory.receptionGroupNumber
            leg.ring = self.random.int(in: 18...35)
        }
        leg.connected = self.random.chance(80) ? self.talkTime() : 0
        self.emit(leg, at: start + Int64(leg.ring + leg.connected))
    }

    mutating func voicemailCollection(at start: Int64) {
        let person = self.randomPerson()
        var leg = Leg(callID: self.takeCallID(), callStart: start)
        leg.caller = self.directory.staff[person].number
        leg.called = Array("*17".utf8)
        leg.dialled = leg.called
        leg.isInternal = true
        leg.connected = self.random.int(in: 20...180)
        leg.party1 = .person(person)
        leg.party2 = .voicemail(channel: self.random.int(in: 1...30))
        leg.callingServer = self.directory.staff[person].site
        self.emit(leg, at: start + Int64(leg.connected))
    }
}
