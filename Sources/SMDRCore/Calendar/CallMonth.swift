/// The partition key of a raw line: the month of its Call Start, read from its first bytes.
///
/// `call_month` must be a function of the line's bytes alone, so that the unique key
/// `(site_id, call_month, sha256)` is exactly as strict as `(site_id, sha256)`: the same bytes
/// always land in the same partition, whoever loads them and whatever the parser version. So it
/// is read from the `YYYY/MM` prefix only (year 0001–9999, month 01–12), which for every line
/// that parses is the month of its Call Start. Any other line gets ``unparsed`` (0001-01-01),
/// the `raw_record_unparsed` partition.
package struct CallMonth: Hashable, Sendable, CustomStringConvertible {
    package var year: Int
    package var month: Int

    /// The month of lines without a readable date: 0001-01-01.
    package static let unparsed = CallMonth(year: 1, month: 1)

    package init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month of `line`, or ``unparsed``.
    package init(line: [UInt8]) {
        self = line.withUnsafeBufferPointer { bytes in
            guard bytes.count >= 7, bytes[4] == UInt8(ascii: "/") else { return .unparsed }
            func digit(_ index: Int) -> Int? {
                let byte = bytes[index]
                return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
            }
            guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
                let m0 = digit(5), let m1 = digit(6)
            else { return .unparsed }
            let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
            let month = m0 * 10 + m1
            guard year >= 1, (1...12).contains(month) else { return .unparsed }
            return CallMonth(year: year, month: month)
        }
    }

    /// `YYYY-MM-01`, PostgreSQL `date` input.
    package var description: String {
        CivilTime.pad(self.year, 4) + "-" + CivilTime.pad(self.month, 2) + "-01"
    }
}
