/// Generates a realistic, deterministic IP Office SMDR stream for tests, benchmarks and demos.
///
/// The same seed and width give the same bytes on every platform: the generator uses its own
/// integer-only PRNG (xoshiro256** seeded by SplitMix64) and its own calendar arithmetic.
///
/// ## What the stream looks like
///
/// A law firm with four offices (London, Manchester, Edinburgh, Dublin) on one Small Community
/// Network. Each office has its own extension range (2000…, 3000…, 4000…, 5000…), trunk lines
/// (`T9001`–`T9004`, `T9011`–`T9012`, `T9021`, `T9031`), DDI range, outside-line digit (`9`, or `0` in
/// Dublin) and server address. People have UTF-8 names: English, Irish and Scottish names with
/// apostrophes (`Conor O'Brien`), accented names (`Zoë Ångström`), Cyrillic (`Тароватова М`), Greek,
/// and unconfigured `Extn2008`-style names.
///
/// Calls arrive at a rate that follows the working day (busy 09:00–17:00 on weekdays, quiet at
/// night and at weekends) and each call is one of: inbound answered (directly by DDI or through
/// the London reception hunt group, sometimes transferred along a chain of `Continuation 1 … 0`
/// records with the same Call ID and Call Start, sometimes ending in voicemail), inbound lost,
/// inbound straight to voicemail, outbound external (national, mobile and international numbers
/// after the office's outside-line digit; account codes, numeric and alphanumeric, on some; the
/// bare `U` targeting cause with the user's name that real systems print; barred and failed
/// attempts; Advice of Charge on London's ISDN lines), internal, SCN calls between offices (internal,
/// with both servers' addresses in fields 31 and 33), call pickup, park and unpark, manual
/// transfer to an external number (`U XfP` then `U Xfd`), `*47` conferences (`V1xxxx` channels),
/// mobile twinning (`U MT`), forwarding off-switch (`U fu`, `U fnr`, `HG fnr`) and voicemail
/// collection (`*17`, `V95xx`). Inbound callers include withheld (empty) CLIs and SIP
/// `number@host` callers, `anonymous@anonymous.invalid` among them.
///
/// Records are output when their leg ends, as IP Office does, so records of different calls
/// interleave and the parts of one call can be separated by other calls. Call IDs start at
/// 1,000,000 and go up by one per call. Call Start is London wall-clock time: a long run crosses
/// the March and October daylight-saving changes (an hour of Call Starts is skipped in March and
/// one is repeated in October). Field 35, SMDR Record Time, is written in UTC — Avaya does not
/// document its zone; this generator assumes UTC so that the repeated hour can be resolved.
///
/// ```swift
/// var generator = StreamGenerator(seed: 42, width: 35)
/// var stream: [UInt8] = []
/// generator.write(lines: 1000, into: &stream)  // CR LF after each line
/// ```
public struct StreamGenerator: Sendable {
    /// The default first Call Start: Monday 24 March 2025, 00:00 London time, six days before the
    /// spring daylight-saving change.
    public static let defaultStart = LocalDateTime(year: 2025, month: 3, day: 24, hour: 0, minute: 0)

    /// The seed the generator was created with.
    public let seed: UInt64
    /// Comma-separated values per line (17 or more). Fields past 38 are written empty.
    public let width: Int

    private var random: GeneratorRandom
    private var clock = GeneratorClock()
    private let directory = FirmDirectory()
    private var pending = PendingRecords()
    /// UTC seconds of the next call's start.
    private var nextCallStart: Int64
    private var nextCallID = 1_000_000
    private var uniqueCallIDs: [Int]
    private var nextConference = 100

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - seed: Selects the stream; the same seed always gives the same lines.
    ///   - width: Values per line: 30 (IP Office 4.2+), 35 (with SMDR Record Time), 38 (R11/R12 on
    ///     the wire) or any other width from 17 up.
    public init(seed: UInt64, width: Int = 35) {
        self.init(seed: seed, width: width, start: Self.defaultStart)
    }

    /// Creates a generator whose first call starts at `start` (London wall-clock time).
    public init(seed: UInt64, width: Int = 35, start: LocalDateTime) {
        precondition(width >= SMDRParser.minimumFieldCount, "an SMDR line has at least 17 fields")
        self.seed = seed
        self.width = width
        self.random = GeneratorRandom(seed: seed)
        self.nextCallStart = GeneratorClock.utcSeconds(local: start)
        self.uniqueCallIDs = self.directory.sites.indices.map { 30_000 + 1000 * $0 }
    }

    /// The next line, without a line terminator.
    public mutating func nextLine() -> [UInt8] {
        while true {
            if let earliest = self.pending.earliest, earliest <= self.nextCallStart,
                let entry = self.pending.removeEarliest()
            {
                return entry.line
            }
            self.startCall(at: self.nextCallStart)
            self.nextCallStart += Int64(self.gapAfterCall(at: self.nextCallStart))
        }
    }

    /// Appends `count` lines to `buffer`, each followed by `terminator` (CR LF by default, as
    /// IP Office sends them).
    public mutating func write(lines count: Int, into buffer: inout [UInt8], terminator: [UInt8] = [0x0D, 0x0A]) {
        for _ in 0..<count {
            buffer.append(contentsOf: self.nextLine())
            buffer.append(contentsOf: terminator)
        }
    }

    // MARK: - Arrivals

    /// Mean seconds between call starts on a weekday, by local hour.
    private static let weekdayMeanGap: [Int] = [
        2400, 2400, 2400, 2400, 2400, 2400, 1800, 400, 45, 14, 12, 12,
        22, 18, 12, 12, 14, 35, 150, 600, 1200, 1800, 2400, 2400,
    ]

    private mutating func gapAfterCall(at utc: Int64) -> Int {
        let local = self.clock.localSeconds(utc: utc)
        let days = Int(local / 86_400)
        let hour = Int(local % 86_400) / 3600
        var mean = Self.weekdayMeanGap[hour]
        let weekday = CivilCalendar.weekday(days: days)
        if weekday == 0 || weekday == 6 { mean = max(mean * 12, 300) }
        return 1 + self.random.below(mean) + self.random.below(mean)
    }

    private mutating func startCall(at start: Int64) {
        let weights = [30, 7, 4, 30, 10, 5, 2, 1, 2, 2, 3, 2, 2]
        switch self.random.weightedIndex(weights) {
        case 0: self.inboundAnswered(at: start)
        case 1: self.inboundLost(at: start)
        case 2: self.inboundStraightToVoicemail(at: start)
        case 3: self.outbound(at: start)
        case 4: self.internalCall(at: start)
        case 5: self.networkCall(at: start)
        case 6: self.callPickup(at: start)
        case 7: self.parkAndUnpark(at: start)
        case 8: self.manualTransferToExternal(at: start)
        case 9: self.conference(at: start)
        case 10: self.mobileTwinning(at: start)
        case 11: self.forwardOffSwitch(at: start)
        default: self.voicemailCollection(at: start)
        }
    }

    // MARK: - Call scenarios

    private mutating func inboundAnswered(at start: Int64) {
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

    private mutating func inboundLost(at start: Int64) {
        let target = self.randomPerson()
        var leg = self.inboundDirectLeg(to: target, at: start)
        leg.ring = self.random.int(in: 8...60)
        leg.party1 = .person(target)
        leg.party2 = self.randomTrunk(site: self.directory.staff[target].site)
        leg.calledServer = self.directory.staff[target].site
        self.emit(leg, at: start + Int64(leg.ring))
    }

    private mutating func inboundStraightToVoicemail(at start: Int64) {
        let target = self.randomPerson()
        var leg = self.inboundDirectLeg(to: target, at: start)
        leg.ring = self.random.int(in: 10...20)
        leg.connected = self.random.int(in: 8...90)
        leg.party1 = self.randomTrunk(site: self.directory.staff[target].site)
        leg.party2 = .voicemail(channel: self.random.int(in: 1...30))
        self.emit(leg, at: start + Int64(leg.ring + leg.connected))
    }

    private mutating func outbound(at start: Int64) {
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

    private mutating func internalCall(at start: Int64) {
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

    private mutating func networkCall(at start: Int64) {
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

    private mutating func callPickup(at start: Int64) {
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

    private mutating func parkAndUnpark(at start: Int64) {
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
    private mutating func manualTransferToExternal(at start: Int64) {
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
    private mutating func conference(at start: Int64) {
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
        externalEnd.party1 = .conference(number: conferenceNumber, channel: 2)
        externalEnd.party2 = trunk
        self.emit(externalEnd, at: conferenceStart + Int64(externalEnd.connected))
    }

    /// A call to a twinned user: the external twin leg is its own call (`U MT`), output when the
    /// call is answered internally, or with talk time when the twin answers.
    private mutating func mobileTwinning(at start: Int64) {
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

    private mutating func forwardOffSwitch(at start: Int64) {
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

    private mutating func voicemailCollection(at start: Int64) {
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

    // MARK: - Building blocks

    private mutating func takeCallID() -> Int {
        defer { self.nextCallID += 1 }
        return self.nextCallID
    }

    /// An internal call leg from `caller` to `callee`; takes a new Call ID unless `callID` is given.
    private mutating func internalLeg(from caller: Int, to callee: Int, start: Int64, callID: Int? = nil) -> Leg {
        var leg = Leg(callID: callID ?? self.takeCallID(), callStart: start)
        leg.caller = self.directory.staff[caller].number
        leg.called = self.directory.staff[callee].number
        leg.dialled = leg.called
        leg.isInternal = true
        leg.party1 = .person(caller)
        leg.party2 = .person(callee)
        leg.callingServer = self.directory.staff[caller].site
        leg.calledServer = self.directory.staff[callee].site
        return leg
    }

    private mutating func randomPerson() -> Int {
        self.random.below(self.directory.staff.count)
    }

    private mutating func randomPerson(site: Int, excluding excluded: Int = -1) -> Int {
        let range = self.directory.sites[site].staff
        var person = range.lowerBound + self.random.below(range.count)
        if person == excluded { person = person + 1 < range.upperBound ? person + 1 : range.lowerBound }
        return person
    }

    private mutating func randomTrunk(site: Int) -> Party {
        let info = self.directory.sites[site]
        return .trunk(line: self.random.element(of: info.lines), channel: self.random.int(in: 1...info.channels))
    }

    /// Talk time in seconds: mostly short, a long tail, and very rarely a line left open for days.
    private mutating func talkTime() -> Int {
        if self.random.below(20_000) == 0 { return self.random.int(in: 20 * 3600...110 * 3600) }
        switch self.random.weightedIndex([35, 35, 22, 8]) {
        case 0: return self.random.int(in: 5...60)
        case 1: return self.random.int(in: 61...300)
        case 2: return self.random.int(in: 301...1800)
        default: return self.random.int(in: 1801...7200)
        }
    }

    /// `prefix` followed by `count` random digits.
    private mutating func digits(_ prefix: StaticString, _ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8CodeUnitCount + count)
        prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        for _ in 0..<count { bytes.append(ASCII.zero + UInt8(self.random.below(10))) }
        return bytes
    }

    /// A national, mobile or international number as dialled after the outside-line digit.
    private mutating func externalNumber() -> [UInt8] {
        switch self.random.weightedIndex([30, 15, 10, 25, 8, 7, 5]) {
        case 0: return self.digits("01632960", 3)
        case 1: return self.digits("02079460", 3)
        case 2: return self.digits("01134960", 3)
        case 3: return self.digits("07700900", 3)
        case 4: return self.digits("00120255501", 2)
        case 5: return self.digits("003319900", 4)
        default: return self.digits("0035315550", 3)
        }
    }

    /// An inbound caller (CLI, SIP `number@host`, anonymous or withheld) and, for SIP callers, a
    /// calling-number verification result for field 37.
    /// A leg of a call from outside straight to `target`'s direct line: the caller's number and
    /// its verification, the extension called and the DDI dialled.
    private mutating func inboundDirectLeg(to target: Int, at start: Int64) -> Leg {
        let (cli, verification) = self.inboundCaller()
        var leg = Leg(callID: self.takeCallID(), callStart: start)
        leg.caller = cli
        leg.isInbound = true
        leg.called = self.directory.staff[target].number
        leg.dialled = self.directory.staff[target].ddi
        leg.verification = verification
        return leg
    }

    private mutating func inboundCaller() -> (caller: [UInt8], verification: [UInt8]) {
        switch self.random.weightedIndex([45, 20, 6, 14, 5, 10]) {
        case 0: return (self.digits("01632960", 3), [])
        case 1: return (self.digits("07700900", 3), [])
        case 2: return (self.digits("00120255501", 2), [])
        case 3:
            let verification = self.random.element(of: Self.verificationResults)
            return (self.digits("01632960", 3) + Array("@203.0.113.5".utf8), verification)
        case 4: return (Array("anonymous@anonymous.invalid".utf8), Array("C".utf8))
        default: return ([], [])
        }
    }

    private static let verificationResults: [[UInt8]] = ["A", "A", "A", "B", "C", "N/A"].map { Array($0.utf8) }

    // MARK: - Output

    private mutating func emit(_ leg: Leg, at emitAt: Int64) {
        let callStart = self.clock.localSeconds(utc: leg.callStart)
        let callingUniqueID = leg.callingServer.map { self.takeUniqueCallID(site: $0) }
        let calledUniqueID = leg.calledServer.map { self.takeUniqueCallID(site: $0) }
        let line = LineWriter.makeLine(width: self.width) { line in
            line.dateTime(callStart)
            line.duration(leg.connected)
            line.integer(leg.ring)
            line.text(leg.caller)
            line.text(leg.isInbound ? "I" : "O")
            line.text(leg.called)
            line.text(leg.dialled)
            line.text(leg.account)
            line.flag(leg.isInternal)
            line.integer(leg.callID)
            line.flag(leg.isContinued)
            self.write(leg.party1, into: &line)
            self.write(leg.party2, into: &line)
            line.integer(leg.hold)
            line.integer(leg.park)
            line.empty()  // 18 AuthValid: empty on every real line seen
            line.empty()  // 19 AuthCode
            line.text(leg.userCharged)
            if let units = leg.chargeUnits {
                let costPerUnit = 618
                line.amount(units: units * costPerUnit, scale: 4, fieldWidth: 9)  // `   0.0618`
                line.text("GBP")
                line.amount(units: units * costPerUnit / 100, scale: 2, integerDigits: 4)  // `0001.45`
                line.integer(units)
                line.integer(units)
                line.integer(costPerUnit)
                line.text("1.00")
            } else {
                for _ in 21...27 { line.empty() }
            }
            line.text(leg.targeting)
            line.text(leg.targeterID)
            line.text(leg.targetedNumber)
            if let site = leg.callingServer, let id = callingUniqueID {
                line.text(self.directory.sites[site].serverIP)
                line.integer(id)
            } else {
                line.empty()
                line.empty()
            }
            if let site = leg.calledServer, let id = calledUniqueID {
                line.text(self.directory.sites[site].serverIP)
                line.integer(id)
            } else {
                line.empty()
                line.empty()
            }
            line.dateTime(emitAt)  // 35 SMDR Record Time (UTC), dropped by narrower widths
            line.optionalInteger(leg.isInbound && !leg.verification.isEmpty ? 0 : nil)
            line.text(leg.verification)
        }
        self.pending.insert(line, emitAt: emitAt)
    }

    private mutating func takeUniqueCallID(site: Int) -> Int {
        defer { self.uniqueCallIDs[site] += 1 }
        return self.uniqueCallIDs[site]
    }

    private func write(_ party: Party, into line: inout LineWriter) {
        switch party {
        case .none:
            line.empty()
            line.empty()
        case .person(let index):
            line.text(self.directory.staff[index].deviceCode)
            line.text(self.directory.staff[index].name)
        case .trunk(let number, let channel):
            if line.beginField() {
                line.put(ASCII.upperT)
                line.putDecimal(9000 + number)
            }
            if line.beginField() {
                line.put("Line ")
                line.putDecimal(number)
                line.put(ASCII.period)
                line.putDecimal(channel)
            }
        case .voicemail(let channel):
            if line.beginField() {
                line.put(ASCII.upperV)
                line.putDecimal(9500 + channel)
            }
            if line.beginField() {
                line.put("VM Channel ")
                line.putDecimal(channel)
            }
        case .conference(let number, let channel):
            if line.beginField() {
                line.put(ASCII.upperV)
                line.put(ASCII.one)
                line.putDecimal(number)
                line.putDecimal(channel)
            }
            if line.beginField() {
                line.put("CO Channel ")
                line.putDecimal(number)
                line.put(ASCII.period)
                line.putDecimal(channel)
            }
        case .barred:
            line.text("Barred")
            line.text("Barred")
        }
    }
}

/// One party of a generated record.
private enum Party: Sendable {
    case none
    case person(Int)
    case trunk(line: Int, channel: Int)
    case voicemail(channel: Int)
    case conference(number: Int, channel: Int)
    case barred
}

/// The content of one generated record before it is written out.
private struct Leg {
    var callID: Int
    /// UTC seconds.
    var callStart: Int64
    var ring = 0
    var connected = 0
    var hold = 0
    var park = 0
    var caller: [UInt8] = []
    var isInbound = false
    var called: [UInt8] = []
    var dialled: [UInt8] = []
    var account: [UInt8] = []
    var isInternal = false
    var isContinued = false
    var party1: Party = .none
    var party2: Party = .none
    var userCharged: [UInt8] = []
    /// Advice-of-Charge units, when the call was charged.
    var chargeUnits: Int?
    var targeting: [UInt8] = []
    var targeterID: [UInt8] = []
    var targetedNumber: [UInt8] = []
    /// Site indices whose server addresses go in fields 31 and 33.
    var callingServer: Int?
    var calledServer: Int?
    var verification: [UInt8] = []

    init(callID: Int, callStart: Int64) {
        self.callID = callID
        self.callStart = callStart
    }
}
