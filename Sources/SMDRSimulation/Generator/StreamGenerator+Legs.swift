import SMDRCore

// Building blocks of a call (Call IDs, parties, numbers, legs) and writing a leg out as a line.
extension StreamGenerator {
    mutating func takeCallID() -> Int {
        defer { self.nextCallID += 1 }
        return self.nextCallID
    }

    /// An internal call leg from `caller` to `callee`; takes a new Call ID unless `callID` is given.
    mutating func internalLeg(from caller: Int, to callee: Int, start: Int64, callID: Int? = nil) -> Leg {
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

    mutating func randomPerson() -> Int {
        self.random.below(self.directory.staff.count)
    }

    mutating func randomPerson(site: Int, excluding excluded: Int = -1) -> Int {
        let range = self.directory.sites[site].staff
        var person = range.lowerBound + self.random.below(range.count)
        if person == excluded { person = person + 1 < range.upperBound ? person + 1 : range.lowerBound }
        return person
    }

    mutating func randomTrunk(site: Int) -> Party {
        let info = self.directory.sites[site]
        return .trunk(line: self.random.element(of: info.lines), channel: self.random.int(in: 1...info.channels))
    }

    /// Talk time in seconds: mostly short, a long tail, and very rarely a line left open for days.
    mutating func talkTime() -> Int {
        if self.random.below(20_000) == 0 { return self.random.int(in: 20 * 3600...110 * 3600) }
        switch self.random.weightedIndex([35, 35, 22, 8]) {
        case 0: return self.random.int(in: 5...60)
        case 1: return self.random.int(in: 61...300)
        case 2: return self.random.int(in: 301...1800)
        default: return self.random.int(in: 1801...7200)
        }
    }

    /// `prefix` followed by `count` random digits.
    mutating func digits(_ prefix: StaticString, _ count: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(prefix.utf8CodeUnitCount + count)
        prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        for _ in 0..<count { bytes.append(ASCII.zero + UInt8(self.random.below(10))) }
        return bytes
    }

    /// A national, mobile or international number as dialled after the outside-line digit.
    mutating func externalNumber() -> [UInt8] {
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
    mutating func inboundDirectLeg(to target: Int, at start: Int64) -> Leg {
        let (cli, verification) = self.inboundCaller()
        var leg = Leg(callID: self.takeCallID(), callStart: start)
        leg.caller = cli
        leg.isInbound = true
        leg.called = self.directory.staff[target].number
        leg.dialled = self.directory.staff[target].ddi
        leg.verification = verification
        return leg
    }

    mutating func inboundCaller() -> (caller: [UInt8], verification: [UInt8]) {
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

    mutating func emit(_ leg: Leg, at emitAt: Int64) {
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
