import SMDRCore
import SMDRSimulation
import Testing

/// Seeded property tests: the parser never crashes, and when it rejects a line the error points
/// inside that line.
struct ParserPropertyTests {
    @Test(.timeLimit(.minutes(5)))
    func neverCrashesAndAlwaysPointsInsideTheLine() throws {
        var random = TestRandom(seed: 0x5EED_0001)
        var generators = [17, 27, 30, 31, 35, 38, 40].enumerated().map {
            StreamGenerator(seed: UInt64($0.offset) &+ 100, width: $0.element)
        }
        let parser = SMDRParser()
        var parsed = 0
        var rejected: [SMDRParseError.Code: Int] = [:]
        let count = 120_000
        for index in 0..<count {
            var line: [UInt8]
            if index % 10 == 9 {
                line = LineMutator.randomLine(&random)
            } else {
                line = generators[index % generators.count].nextLine()
                LineMutator.mutate(&line, &random)
            }
            do {
                let record = try parser.parse(line)
                parsed += 1
                if record.fieldCount < 17 {
                    Issue.record("record with \(record.fieldCount) fields from \(line)")
                    return
                }
            } catch {
                rejected[error.code, default: 0] += 1
                if !(0...line.count).contains(error.offset) {
                    Issue.record("\(error) points outside a \(line.count)-byte line: \(line)")
                    return
                }
                if let field = error.field, error.code == .tooFewFields || error.code == .emptyLine {
                    Issue.record("\(error.code) should concern the whole line, not \(field)")
                    return
                }
            }
        }
        // Both outcomes, and many error kinds, were exercised.
        #expect(parsed > count / 10)
        #expect(rejected.values.reduce(0, +) > count / 10)
        for code in [SMDRParseError.Code.emptyLine, .tooFewFields, .invalidDate, .invalidTime, .invalidDuration,
                     .invalidInteger, .invalidDecimal, .invalidDirection, .invalidFlag] {
            #expect(rejected[code, default: 0] > 0, "no \(code) seen")
        }
    }

    @Test func everyPrefixOfALineIsHandled() {
        var generator = StreamGenerator(seed: 9, width: 38)
        let parser = SMDRParser()
        for _ in 0..<20 {
            let line = generator.nextLine()
            for end in 0...line.count {
                let prefix = Array(line[..<end])
                do { _ = try parser.parse(prefix) } catch {
                    #expect((0...prefix.count).contains(error.offset))
                }
            }
        }
    }

    @Test func survivesHugeAndDegenerateLines() throws {
        let parser = SMDRParser()
        let commas = [UInt8](repeating: 0x2C, count: 100_000)
        let record = try? parser.parse(commas)
        #expect(record == nil)  // Call Start is empty
        var long = Array("2024/03/15 14:02:07,00:00:01,1,,O,,,,0,1,0,,,,,0,0".utf8)
        long += [UInt8](repeating: 0x2C, count: 50_000)
        #expect(try parser.parse(long).extraFields.count == 50_000 - 20)
        let digits = [UInt8](repeating: 0x39, count: 10_000)
        var hugeNumber = Array("2024/03/15 14:02:07,00:00:01,".utf8) + digits + Array(",,O,,,,0,1,0,,,,,0,0".utf8)
        #expect(throws: SMDRParseError(code: .invalidInteger, field: .ringTime, offset: 29)) {
            try parser.parse(hugeNumber)
        }
        hugeNumber = Array("2024/03/15 14:02:07,".utf8) + digits + Array(":00:00,1,,O,,,,0,1,0,,,,,0,0".utf8)
        #expect(throws: SMDRParseError(code: .invalidDuration, field: .connectedTime, offset: 20)) {
            try parser.parse(hugeNumber)
        }
        #expect(throws: SMDRParseError(code: .tooFewFields, field: nil, offset: 10_000)) {
            try parser.parse([UInt8](repeating: 0xFF, count: 10_000))
        }
    }
}
