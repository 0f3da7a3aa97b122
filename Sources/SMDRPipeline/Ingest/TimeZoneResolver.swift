public import Foundation
public import SMDRCore

/// Turns a PBX wall-clock time into an instant with the site's IANA time zone (DESIGN §5).
///
/// ## Resolution behavior
/// - **Ordinary times** have one candidate instant.
/// - **Ambiguous times** (the hour repeated after a DST fall-back) have two. The reference is
///   SMDR Record Time (field 35), read as UTC (see `docs/decisions.md`), when the record has it,
///   else the line's arrival time. The latest candidate not after the reference wins (a call
///   starts before its record is written or received); if both are after it, the earlier one.
///   ``ResolvedTime/isAmbiguous`` is set either way.
/// - **Nonexistent times** (in the hour skipped by a spring-forward) are shifted forward by the
///   gap, read with the offset in force before it: 02:30 in New York's gap becomes 03:30 EDT.
///   ``ResolvedTime/isNonexistent`` is set.
///
/// Offsets are cached per local hour when no transition is near, so a batch costs a few zone
/// lookups rather than several per line.
public struct TimeZoneResolver {
    public let timeZone: TimeZone
    private var offsetByHour: [Int64: Int] = [:]
    private static let cacheLimit = 10_000

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Resolves `local`.
    ///
    /// - Parameters:
    ///   - recordTime: SMDR Record Time of the record, if it has one (read as UTC).
    ///   - receivedAt: when the line arrived, the reference when there is no record time.
    public mutating func resolve(_ local: LocalDateTime, recordTime: LocalDateTime?, receivedAt: Date) -> ResolvedTime {
        let naive = CivilTime.naiveSeconds(local)
        let hour = naive >= 0 ? naive / 3600 : (naive - 3599) / 3600
        if let offset = self.offsetByHour[hour] {
            return ResolvedTime(epochSeconds: naive - Int64(offset), isAmbiguous: false, isNonexistent: false)
        }
        let hourStart = hour * 3600
        let before = self.offset(at: hourStart - 12 * 3600)
        let after = self.offset(at: hourStart + 13 * 3600)
        if before == after {
            if self.offsetByHour.count >= Self.cacheLimit { self.offsetByHour.removeAll(keepingCapacity: true) }
            self.offsetByHour[hour] = before
            return ResolvedTime(epochSeconds: naive - Int64(before), isAmbiguous: false, isNonexistent: false)
        }
        // A transition is near: test each candidate offset.
        let candidates = Set([before, after]).map { naive - Int64($0) }.filter { instant in
            Int64(self.offset(at: instant)) == naive - instant
        }.sorted()
        switch candidates.count {
        case 0:
            return ResolvedTime(epochSeconds: naive - Int64(before), isAmbiguous: false, isNonexistent: true)
        case 1:
            return ResolvedTime(epochSeconds: candidates[0], isAmbiguous: false, isNonexistent: false)
        default:
            let reference = recordTime.map(CivilTime.naiveSeconds) ?? Int64(receivedAt.timeIntervalSince1970.rounded(.down))
            let chosen = candidates.last { $0 <= reference } ?? candidates[0]
            return ResolvedTime(epochSeconds: chosen, isAmbiguous: true, isNonexistent: false)
        }
    }

    private func offset(at epochSeconds: Int64) -> Int {
        self.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
    }
}
