public import SMDRCore

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
/// transfer to an external number (`U XfP` then `U Xfd`), `*47` conferences (`V1xxxx` channels; every
/// other one with an account code on the external party's call),
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

    var random: GeneratorRandom
    var clock = GeneratorClock()
    let directory = FirmDirectory()
    var pending = PendingRecords()
    /// UTC seconds of the next call's start.
    private var nextCallStart: Int64
    var nextCallID = 1_000_000
    var uniqueCallIDs: [Int]
    var nextConference = 100

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
}
