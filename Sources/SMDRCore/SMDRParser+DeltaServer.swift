extension SMDRParser {
    /// Whether `line` is the header line that the old Delta Server / "IP Office SMDR" PC
    /// application wrote at the top of its CSV files (IP Office ≤ 4.1), such as
    /// `Call Start,Call Duration,Ring Duration,Caller,Direction,…`.
    ///
    /// The TCP stream never carries a header; only those files do. A data line always starts with
    /// a digit (Call Start), so this cannot mistake a record for a header.
    ///
    /// ## Detection behavior
    /// - A UTF-8 byte-order mark, NUL bytes, spaces and a `"` before the first field are skipped.
    /// - The first field must then read `Call Start`, `Call Start Time` or `CallStart`, ignoring
    ///   ASCII case and the spaces or `"` after it.
    /// - The number of fields is not checked (Delta Server wrote 27 names; a file edited by hand
    ///   may have more or fewer).
    public static func isDeltaServerHeader(_ line: Span<UInt8>) -> Bool {
        line.withUnsafeBufferPointer { Self.isDeltaServerHeader(bytes: $0) }
    }

    /// Whether `line` is a Delta Server CSV header line; see ``isDeltaServerHeader(_:)-(Span<UInt8>)``.
    public static func isDeltaServerHeader(_ line: some Collection<UInt8>) -> Bool {
        if let answer = line.withContiguousStorageIfAvailable({ Self.isDeltaServerHeader(bytes: $0) }) {
            return answer
        }
        return Array(line).withUnsafeBufferPointer { Self.isDeltaServerHeader(bytes: $0) }
    }

    private static let headerNames: [[UInt8]] = ["call start", "call start time", "callstart"].map { Array($0.utf8) }

    private static func isDeltaServerHeader(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var end = bytes.firstIndex(of: ASCII.comma) ?? bytes.count
        while start < end, [ASCII.nul, ASCII.space, ASCII.quote].contains(bytes[start]) { start += 1 }
        while end > start, [ASCII.nul, ASCII.space, ASCII.quote, ASCII.carriageReturn, ASCII.lineFeed]
            .contains(bytes[end - 1])
        {
            end -= 1
        }
        let name = bytes[start..<end]
        return Self.headerNames.contains { expected in
            expected.count == name.count
                && zip(expected, name).allSatisfy { ASCII.lowercased($0) == ASCII.lowercased($1) }
        }
    }
}
