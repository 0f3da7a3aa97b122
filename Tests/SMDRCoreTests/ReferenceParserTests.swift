import SMDRCore
import SMDRSimulation
import SMDRTestSupport
import Testing

/// The fast parser agrees with the naive ``ReferenceParser`` on valid and damaged lines: the same
/// record, or the same error code, field and offset.
struct ReferenceParserTests {
    @Test func agreesOnGeneratedLines() {
        var checked = 0
        for (seed, width) in [(1, 35), (2, 38), (3, 30), (4, 17), (5, 31), (6, 40), (7, 34)] as [(UInt64, Int)] {
            var generator = StreamGenerator(seed: seed, width: width)
            for _ in 0..<2_000 {
                let line = generator.nextLine()
                let fast = Result { () throws(SMDRParseError) in try SMDRParser().parse(line) }
                let slow = ReferenceParser().parse(line)
                if fast != slow {
                    Issue.record("disagree on \(String(decoding: line, as: UTF8.self)):\n\(fast)\n\(slow)")
                    return
                }
                if case .failure(let error) = fast {
                    Issue.record("generated line rejected: \(error): \(String(decoding: line, as: UTF8.self))")
                    return
                }
                checked += 1
            }
        }
        #expect(checked == 14_000)
    }

    @Test func agreesOnDamagedLines() {
        var random = TestRandom(seed: 0xD1FF)
        var generator = StreamGenerator(seed: 77, width: 38)
        var rejected = 0
        for index in 0..<30_000 {
            var line = index % 10 == 0 ? LineMutator.randomLine(&random) : generator.nextLine()
            LineMutator.mutate(&line, &random)
            let fast = Result { () throws(SMDRParseError) in try SMDRParser().parse(line) }
            let slow = ReferenceParser().parse(line)
            if fast != slow {
                Issue.record("disagree on \(line):\n\(fast)\n\(slow)")
                return
            }
            if case .failure = fast { rejected += 1 }
        }
        #expect(rejected > 3_000)
    }

    @Test(arguments: try Fixtures.files(in: "smdr/avaya", withExtension: "smdr"))
    func agreesOnTheDocumentationExamples(path: String) throws {
        for line in try #require(Fixtures.lines(path)) {
            let fast = Result { () throws(SMDRParseError) in try SMDRParser().parse(line) }
            #expect(fast == ReferenceParser().parse(line))
        }
    }
}
