import NIOCore
import NIOEmbedded
import NIOTestUtils
import SMDRCore
import SMDRListener
import Testing

struct SMDRLineDecoderTests {
    private func framed(_ text: String, truncated: Bool = false) -> FramedLine {
        FramedLine(bytes: Array(text.utf8), isTruncated: truncated)
    }

    @Test func passesTheByteToMessageDecoderVerifier() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            stringInputOutputPairs: [
                ("09:28:41,0,9\r\n", [self.framed("09:28:41,0,9")]),
                ("a\nb\r\n", [self.framed("a"), self.framed("b")]),
                ("\0\0c,d\0\r\n", [self.framed("c,d")]),
                ("\r\n\n\r\n", []),
                ("abcdefghijklmnopqrstuvwxyz\r\n", [self.framed("abcdefghijklmnop", truncated: true)]),
            ],
            decoderFactory: { SMDRLineDecoder(maximumLineLength: 16) }
        )
    }

    private func decodeAll(_ chunks: [String], maximumLineLength: Int = 4096, close: Bool = true) throws -> [FramedLine] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMDRLineDecoder(maximumLineLength: maximumLineLength)))
        for chunk in chunks {
            try channel.writeInbound(channel.allocator.buffer(bytes: Array(chunk.utf8)))
        }
        var lines: [FramedLine] = []
        while let line = try channel.readInbound(as: FramedLine.self) { lines.append(line) }
        if close {
            _ = try channel.finish()
            while let line = try channel.readInbound(as: FramedLine.self) { lines.append(line) }
        }
        return lines
    }

    @Test func joinsARecordSplitAcrossReads() throws {
        let lines = try self.decodeAll(["2008/06/28 09:28", ":41,00:00:00,9,8004206,I", ",4324\r", "\n"])
        #expect(lines == [self.framed("2008/06/28 09:28:41,00:00:00,9,8004206,I,4324")])
    }

    @Test func splitsManyRecordsInOneRead() throws {
        let input = (0..<50).map { "record \($0)\r\n" }.joined()
        let lines = try self.decodeAll([input])
        #expect(lines == (0..<50).map { self.framed("record \($0)") })
    }

    @Test func acceptsCRLFAndLoneLFAndLoneCR() throws {
        let lines = try self.decodeAll(["one\r\ntwo\nthree\rfour\r", "\nfive\n"])
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) } == ["one", "two", "three", "four", "five"])
    }

    @Test func dropsNULBytesAndEmptyLines() throws {
        let lines = try self.decodeAll(["\0\0\0first\0\r\n\0\0\r\n\r\n", "sec\0ond\n"])
        #expect(lines == [self.framed("first"), self.framed("second")])
    }

    @Test func truncatesAnOverlongLineAndKeepsDecoding() throws {
        let long = String(repeating: "x", count: 100)
        let lines = try self.decodeAll([long.prefix(30) + "", long.dropFirst(30) + "\r\nnext\r\n"], maximumLineLength: 16)
        #expect(lines == [self.framed(String(repeating: "x", count: 16), truncated: true), self.framed("next")])
    }

    @Test func keepsTheFinalLineWithoutTerminatorOnClose() throws {
        let lines = try self.decodeAll(["complete\r\npartial,record"])
        #expect(lines == [self.framed("complete"), FramedLine(bytes: Array("partial,record".utf8), isUnterminated: true)])
    }

    @Test func holdsNoMoreThanTheLimitForANeverTerminatedLine() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMDRLineDecoder(maximumLineLength: 64), maximumBufferSize: 64))
        // 1 MiB without a newline: no PayloadTooLarge error (writeInbound would throw it), nothing emitted.
        let chunk = [UInt8](repeating: UInt8(ascii: "g"), count: 4096)
        for _ in 0..<256 {
            try channel.writeInbound(channel.allocator.buffer(bytes: chunk))
        }
        #expect(try channel.readInbound(as: FramedLine.self) == nil)
        try channel.writeInbound(channel.allocator.buffer(string: "\r\nok\r\n"))
        #expect(try channel.readInbound(as: FramedLine.self) == self.framed(String(repeating: "g", count: 64), truncated: true))
        #expect(try channel.readInbound(as: FramedLine.self) == self.framed("ok"))
        _ = try channel.finish()
    }
}
