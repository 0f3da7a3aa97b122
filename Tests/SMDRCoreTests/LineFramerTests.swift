import SMDRCore
import SMDRSimulation
import Testing

struct LineFramerTests {
    private func frame(_ chunks: [[UInt8]], maximumLineLength: Int = 64) -> [FramedLine] {
        var framer = LineFramer(maximumLineLength: maximumLineLength)
        var lines: [FramedLine] = []
        for chunk in chunks { framer.append(chunk) { lines.append($0) } }
        if let last = framer.finish() { lines.append(last) }
        return lines
    }

    private func text(_ lines: [FramedLine]) -> [String] {
        lines.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test(arguments: ["a\r\nb\r\n", "a\nb\n", "a\rb\r", "a\r\nb", "a\n\r\nb\r\n", "\r\n\r\na\r\n\nb"])
    func acceptsCRLFAndLFAndCRAloneAndSkipsEmptyLines(input: String) {
        #expect(self.text(self.frame([Array(input.utf8)])) == ["a", "b"])
    }

    @Test func joinsARecordSplitAcrossReadsIncludingASplitCRLF() {
        let lines = self.frame([Array("2008/06/28 09:2".utf8), Array("8:41,x\r".utf8), Array("\nnext\r\n".utf8)])
        #expect(self.text(lines) == ["2008/06/28 09:28:41,x", "next"])
    }

    @Test func dropsNULBytesAnywhere() {
        let lines = self.frame([[0, 0, 0x61, 0, 0x62, 0x0D, 0x0A, 0, 0, 0x0D, 0x0A, 0x63, 0]])
        #expect(self.text(lines) == ["ab", "c"])
    }

    @Test func keepsTheFirstBytesOfAnOverlongLineAndFlagsIt() {
        let long = Array(repeating: UInt8(ascii: "x"), count: 100)
        let lines = self.frame([Array("ok\r\n".utf8), long, Array("\r\nafter\r\n".utf8)], maximumLineLength: 10)
        #expect(lines.count == 3)
        #expect(lines[0] == FramedLine(bytes: Array("ok".utf8)))
        #expect(lines[1] == FramedLine(bytes: Array(repeating: UInt8(ascii: "x"), count: 10), isTruncated: true))
        #expect(lines[2] == FramedLine(bytes: Array("after".utf8)))
    }

    @Test func holdsNoMoreThanTheLimitForALineThatNeverEnds() {
        var framer = LineFramer(maximumLineLength: 16)
        for _ in 0..<1000 { framer.append(Array(repeating: UInt8(ascii: "y"), count: 100)) { _ in Issue.record("no line expected") } }
        #expect(framer.pendingByteCount == 16)
        #expect(framer.finish() == FramedLine(bytes: Array(repeating: UInt8(ascii: "y"), count: 16), isTruncated: true, isUnterminated: true))
    }

    @Test func returnsAFinalLineWithoutTerminatorOnFinishOnlyOnce() {
        var framer = LineFramer()
        framer.append(Array("last".utf8)) { _ in Issue.record("no complete line yet") }
        #expect(framer.finish() == FramedLine(bytes: Array("last".utf8), isUnterminated: true))
        #expect(framer.finish() == nil)
    }

    /// Any chunking of a stream gives the lines a naive whole-stream split gives.
    @Test func chunkingNeverChangesTheResult() {
        var random = SplitMix64(seed: 99)
        let alphabet: [UInt8] = Array("ab,1:/ ".utf8) + [0x0D, 0x0A, 0x00]
        for _ in 0..<500 {
            let stream = (0..<Int(random.next() % 200)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let expected = Self.naiveLines(stream)
            var chunks: [[UInt8]] = []
            var rest = stream[...]
            while !rest.isEmpty {
                let size = min(rest.count, Int(random.next() % 7) + 1)
                chunks.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            #expect(self.frame(chunks, maximumLineLength: 1000).map(\.bytes) == expected)
        }
    }

    /// The oracle: drop NULs, treat CRLF as one terminator, split on CR or LF, drop empty lines.
    private static func naiveLines(_ stream: [UInt8]) -> [[UInt8]] {
        let withoutNUL = stream.filter { $0 != 0 }
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < withoutNUL.count {
            let byte = withoutNUL[index]
            if byte == 0x0D || byte == 0x0A {
                if !current.isEmpty { lines.append(current) }
                current = []
                if byte == 0x0D, index + 1 < withoutNUL.count, withoutNUL[index + 1] == 0x0A { index += 1 }
            } else {
                current.append(byte)
            }
            index += 1
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
