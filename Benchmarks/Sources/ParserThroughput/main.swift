// Measures SMDRParser lines/s against a bare comma splitter over the same generated lines, in the
// same process, and prints both and their ratio. Run in release:
//   swift run -c release ParserThroughput [lines] [width]
import SMDRCore
import SMDRSimulation

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
let lineCount = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let width = arguments.count > 2 ? Int(arguments[2]) ?? 35 : 35

var generator = StreamGenerator(seed: 7, width: width)
let lines = (0..<lineCount).map { _ in generator.nextLine() }
let bytes = lines.reduce(0) { $0 + $1.count + 2 }

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// The reference: find every comma and record each field's range, the least any parser must do.
@inline(never)
func splitAll(_ lines: [[UInt8]]) -> Int {
    var checksum = 0
    var starts = [Int](repeating: 0, count: 64)
    for line in lines {
        var field = 0
        line.withUnsafeBufferPointer { buffer in
            starts[0] = 0
            for index in 0..<buffer.count where buffer[index] == 0x2C {
                field += 1
                if field < starts.count { starts[field] = index + 1 }
            }
        }
        checksum &+= field &+ starts[min(field, 63)]
    }
    return checksum
}

/// The naive collector: one `String` per field (what `split(",")` into strings costs).
@inline(never)
func splitIntoStrings(_ lines: [[UInt8]]) -> Int {
    var checksum = 0
    for line in lines {
        let fields = line.split(separator: 0x2C, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        checksum &+= fields.count &+ (fields.first?.utf8.count ?? 0)
    }
    return checksum
}

@inline(never)
func parseAll(_ lines: [[UInt8]], _ parser: SMDRParser) -> Int {
    var checksum = 0
    for line in lines {
        if let record = try? parser.parse(line.span) { checksum &+= record.callID } else { checksum &+= 1 }
    }
    return checksum
}

let parser = SMDRParser()
var splitterRates: [Double] = []
var stringSplitterRates: [Double] = []
var parserRates: [Double] = []
var sink = 0
for _ in 0..<5 {
    var start = now()
    sink &+= splitAll(lines)
    splitterRates.append(Double(lineCount) / (now() - start))
    start = now()
    sink &+= splitIntoStrings(lines)
    stringSplitterRates.append(Double(lineCount) / (now() - start))
    start = now()
    sink &+= parseAll(lines, parser)
    parserRates.append(Double(lineCount) / (now() - start))
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let splitter = median(splitterRates)
let parsed = median(parserRates)
print("lines \(lineCount), width \(width), \(bytes / lineCount) bytes/line (checksum \(sink & 0xFF))")
print("bare comma splitter: \(Int(splitter)) lines/s (median of 5)")
let stringSplitter = median(stringSplitterRates)
print("splitter making one String per field: \(Int(stringSplitter)) lines/s (median of 5)")
print("SMDRParser:          \(Int(parsed)) lines/s (median of 5)")
print("ratio parser/bare splitter: \(Double(Int(parsed / splitter * 1000)) / 1000)")
print("ratio parser/String splitter: \(Double(Int(parsed / stringSplitter * 1000)) / 1000)")
