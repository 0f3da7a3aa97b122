import Foundation
import SMDRCore
import SMDRPipeline
import SMDRPostgres
import Testing

/// Deciding a batch, without a database.
struct IngestBatcherTests {
    static let london = IngestBatcher(timeZone: TimeZone(identifier: "Europe/London")!)
    static let receivedAt = Date(timeIntervalSince1970: 1_719_500_000)

    static func line(_ bytes: [UInt8], _ position: Int64, truncated: Bool = false, unterminated: Bool = false) -> IngestLine {
        IngestLine(bytes: bytes, isTruncated: truncated, isUnterminated: unterminated, position: position, receivedAt: Self.receivedAt)
    }

    @Test func eachLineIsKeyedParsedAndResolvedOnce() throws {
        let bytes = smdrLine(start: "2024/06/28 09:28:41")
        let batch = Self.london.batch([Self.line(bytes, 7)], source: .file("a.txt"))
        #expect(batch.counts.read == 1 && batch.counts.rejected == 0)
        let decided = try #require(batch.lines.first)
        #expect(decided.bytes == bytes && decided.position == 7 && decided.receivedAt == Self.receivedAt)
        #expect(decided.digest == SHA256.hash(bytes))
        #expect(decided.month == CallMonth(year: 2024, month: 6) && batch.months == [decided.month])
        #expect(decided.error == nil && !decided.isFragment)
        let leg = try #require(decided.leg)
        #expect(leg.record.callID == 1_000_014_155)
        // 09:28:41 BST is 08:28:41 UTC.
        #expect(leg.time == ResolvedTime(epochSeconds: 1_719_563_321, isAmbiguous: false, isNonexistent: false))
    }

    @Test func aLineRepeatedInTheBatchIsKeptOnceAndCountedEachTime() {
        let a = smdrLine(callID: 1), b = smdrLine(callID: 2)
        let batch = Self.london.batch([Self.line(a, 1), Self.line(b, 2), Self.line(a, 3)], source: .file("a.txt"))
        #expect(batch.counts.read == 3)
        #expect(batch.lines.map(\.position) == [1, 2])
    }

    @Test func rejectedLinesKeepTheirErrorAndGetNoLeg() throws {
        let garbage = Array("not a record".utf8)
        let batch = Self.london.batch(
            [Self.line(garbage, 1), Self.line(smdrLine(callID: 3), 2, truncated: true), Self.line(garbage, 3)], source: .file("r.txt")
        )
        #expect(batch.counts.read == 3 && batch.counts.rejected == 3)
        #expect(batch.lines.count == 2)
        #expect(batch.lines.allSatisfy { $0.leg == nil })
        #expect(batch.lines[0].month == .unparsed)
        let truncated = try #require(batch.lines[1].error)
        #expect(truncated.code == .lineTooLong && truncated.offset == smdrLine(callID: 3).count && batch.lines[1].isTruncated)
        #expect(batch.rejectedByCode[SMDRParseError.Code.lineTooLong.description] == 1)
        #expect(batch.rejectedByCode.values.reduce(0, +) == 3)
    }

    @Test func aFragmentIsKeyedApartFromTheWholeLineInTheUnparsedMonth() throws {
        let bytes = smdrLine(callID: 4)
        let batch = Self.london.batch([Self.line(bytes, 10, unterminated: true), Self.line(bytes, 20)], source: .peer(stream: "s"))
        #expect(batch.lines.count == 2)
        let fragment = batch.lines[0], whole = batch.lines[1]
        #expect(fragment.isFragment && fragment.error?.code == .unterminated && fragment.leg == nil)
        #expect(fragment.month == .unparsed && whole.month == CallMonth(year: 2024, month: 6))
        #expect(fragment.digest == whole.digest)  // the same key bytes, in another partition
        #expect(whole.leg != nil && !whole.isFragment)
        #expect(batch.months == [.unparsed, CallMonth(year: 2024, month: 6)])
    }

    @Test func aParseResultGivenWithTheLineIsTakenAsIs() {
        var line = Self.line(smdrLine(callID: 5), 1)
        line.parsed = .failure(SMDRParseError(code: .tooFewFields, field: nil, offset: 0))
        let batch = Self.london.batch([line], source: .file("p.txt"))
        #expect(batch.counts.rejected == 1 && batch.lines[0].error?.code == .tooFewFields)
    }
}
