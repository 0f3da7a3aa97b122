package import SMDRCore

/// Reads the fields of one `COPY … TO STDOUT` text row in order, without allocating for fields
/// that need no unescaping.
///
/// A row type's column declaration (``ColumnVisitor``) drives it: each column's closure reads
/// its field with the typed method for its type. A field that does not hold what the column
/// type promises (the select list and the declaration disagree) reads as its type's zero; the
/// declaration is checked against the live schema by a test.
package struct CopyTextFieldReader {
    private let row: [UInt8]
    private var index: Int

    package init(row: [UInt8]) {
        self.row = row
        self.index = 0
    }

    /// Calls `body` with the next field's bytes, unescaped; `nil` for `NULL`.
    private mutating func next<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        var end = self.index
        var escaped = false
        while end < self.row.count, self.row[end] != CopyText.tab, self.row[end] != CopyText.newline {
            if self.row[end] == CopyText.backslash { escaped = true }
            end += 1
        }
        let start = self.index
        self.index = end + 1
        if end - start == 2, self.row[start] == CopyText.backslash, self.row[start + 1] == UInt8(ascii: "N") {
            return body(nil)
        }
        if escaped {
            var field = Array(self.row[start..<end])
            field.append(CopyText.newline)
            let unescaped = CopyText.fields(of: field).first.flatMap { $0 } ?? []
            return unescaped.withUnsafeBufferPointer { body($0) }
        }
        return self.row.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// A text field; `NULL` reads as `nil`.
    package mutating func optionalString() -> String? {
        self.next { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A text field; `NULL` reads as empty.
    package mutating func string() -> String { self.optionalString() ?? "" }

    /// An integer field; `NULL` reads as `nil`.
    package mutating func optionalInt() -> Int? {
        self.next { bytes -> Int? in
            guard let bytes, !bytes.isEmpty else { return nil }
            var value = 0
            var negative = false
            for (offset, byte) in bytes.enumerated() {
                if offset == 0, byte == UInt8(ascii: "-") { negative = true; continue }
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            }
            return negative ? -value : value
        }
    }

    /// An integer field; `NULL` reads as 0.
    package mutating func int() -> Int { self.optionalInt() ?? 0 }

    /// A `numeric` field (`-12.3400`) as written, scale kept; `NULL`, or more digits than an
    /// `Int64` holds, reads as `nil`.
    package mutating func optionalDecimal() -> ExactDecimal? {
        self.next { bytes in bytes.flatMap { DecimalText.parse(String(decoding: $0, as: UTF8.self)) } }
    }

    /// A boolean field (`t`/`f`); `NULL` reads as `nil`.
    package mutating func optionalBool() -> Bool? {
        self.next { bytes in bytes.flatMap { $0.first }.map { $0 == UInt8(ascii: "t") } }
    }

    /// A `date` field in ISO output (`2026-04-01`); `NULL` or anything else reads as 0001-01-01.
    package mutating func localDate() -> LocalDate {
        self.next { bytes in bytes.flatMap(LocalDate.init(isoBytes:)) } ?? LocalDate(year: 1, month: 1, day: 1)
    }

    /// A `timestamp` field in ISO output (`2026-04-01 10:00:00`; fractional seconds are
    /// dropped); `NULL` or anything else reads as 0001-01-01 00:00:00.
    package mutating func localDateTime() -> LocalDateTime {
        self.next { bytes in
            bytes.flatMap { $0.count >= 19 ? LocalDateTime(isoBytes: UnsafeBufferPointer(rebasing: $0[0..<19])) : nil }
        } ?? LocalDateTime(year: 1, month: 1, day: 1, hour: 0, minute: 0)
    }
}
