// Measures stitching and matching legs/s in memory: generated legs (1M by default) against a
// register of 100k client numbers and 10k codes, next to a reference over the same legs in the
// same process (one dictionary lookup of each leg's external number: the least a matcher does).
// Run in release:
//   swift run -c release MatchThroughput [legs] [numbers] [codes]
import SMDRCore
import SMDRRating
import SMDRSimulation

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
let legCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let numberCount = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
let codeCount = arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// A fixed-seed generator for the register (SplitMix64).
struct Seeded {
    var state: UInt64
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(self.next() % 10)) })
    }
}

// The legs: generated lines of one site, parsed, with their ordinals and instants.
let site = Site(id: 1, name: "bench", timeZone: "Europe/London", countryCode: "44", nationalPrefix: "0", internationalPrefix: "00", trunkAccessCode: "9")
var generator = StreamGenerator(seed: 7, width: 35)
let parser = SMDRParser()
var legs: [MatchLeg] = []
legs.reserveCapacity(legCount)
var ordinals: [String: Int] = [:]
while legs.count < legCount {
    let line = generator.nextLine()
    guard let record = try? parser.parse(line.span) else { continue }
    let key = "\(record.callID) \(record.callStart)"
    let ordinal = (ordinals[key] ?? 0) + 1
    ordinals[key] = ordinal
    let start = record.callStart
    let days = (start.year - 1970) * 365 + start.month * 31 + start.day  // monotonic enough for a window
    let epoch = days * 86_400 + start.hour * 3600 + start.minute * 60 + start.second
    legs.append(MatchLeg(record: record, siteID: 1, legOrdinal: ordinal, startEpoch: epoch))
}
ordinals = [:]

// The register: codes (the generator's own among random ones, some patterns), numbers (exact
// and prefixes, some covering the generator's number ranges), a timekeeper per extension.
var random = Seeded(state: 42)
var codes = ["1001", "1002", "1017", "20457", "20458", "31990", "ACME01", "PROBONO"].map {
    AccountCode(code: $0, clientID: "C\($0)", clientName: "Client \($0)")
}
codes += (0..<100).map { AccountCode(code: "9\(random.digits(2))*", clientID: "P\($0)", clientName: "Pattern \($0)") }
while codes.count < codeCount {
    let code = "5" + random.digits(5)
    codes.append(AccountCode(code: code, clientID: "C\(code)", clientName: "Client \(code)", matterID: "M1"))
}
var numbers = ["+441632960", "+442079460", "+447700900"].map { ClientNumber(number: $0, match: .prefix, code: "1001") }
numbers += (0..<1_000).map { _ in ClientNumber(number: "+44" + random.digits(6), match: .prefix, code: codes[Int(random.next() % UInt64(codes.count))].code) }
while numbers.count < numberCount {
    numbers.append(ClientNumber(number: "+44" + random.digits(10), match: .exact, code: codes[Int(random.next() % UInt64(codes.count))].code))
}
let timekeepers = (200..<400).map { Timekeeper(id: "TK\($0)", name: "Person \($0)", site: "bench", extension: String($0)) }
let register = Register(codes: codes, numbers: numbers, defaults: [], timekeepers: timekeepers)

@inline(never)
func reference(_ legs: [MatchLeg], _ table: [String: String]) -> Int {
    var hits = 0
    for leg in legs where table[leg.externalNumber] != nil { hits &+= 1 }
    return hits
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let plainTable = Dictionary(numbers.map { ($0.number, $0.code) }, uniquingKeysWith: { first, _ in first })
var referenceTimes: [Double] = []
var stitchTimes: [Double] = []
var matchTimes: [Double] = []
var buildTimes: [Double] = []
var billable = 0
var rules: [MatchRule: Int] = [:]
for _ in 0..<5 {
    var start = now()
    _ = reference(legs, plainTable)
    referenceTimes.append(now() - start)

    start = now()
    let matcher = Matcher(register: register, sites: [site], manualAssignments: [])
    buildTimes.append(now() - start)

    start = now()
    let calls = CallStitcher().stitch(legs)
    stitchTimes.append(now() - start)

    start = now()
    let matches = matcher.match(calls)
    matchTimes.append(now() - start)
    billable = matches.count
    rules = [:]
    for match in matches { rules[match.rule, default: 0] += 1 }
}

let count = legs.count
func rate(_ seconds: Double) -> String { "\(Int((Double(count) / seconds / 1000).rounded()))k legs/s" }
print("legs: \(legs.count), billable: \(billable), register: \(numbers.count) numbers, \(codes.count) codes (median of 5 rounds)")
print("by rule: " + MatchRule.allCases.compactMap { rule in rules[rule].map { "\(rule.rawValue) \($0)" } }.joined(separator: ", "))
print("reference (one hash lookup per leg): \(rate(median(referenceTimes)))")
print("matcher set-up (register → lookup tables): \(Int((median(buildTimes) * 1000).rounded())) ms")
print("stitch: \(rate(median(stitchTimes)))")
print("match:  \(rate(median(matchTimes)))")
print("stitch + match: \(rate(median(stitchTimes) + median(matchTimes))), \(String(Double(Int(median(referenceTimes) / (median(stitchTimes) + median(matchTimes)) * 1000)) / 1000))× the reference")
