package import SMDRCore

extension ChromiumPrinter {
    /// Sets the `CreationDate` and `ModDate` of a PDF's Info dictionary to `date` at 00:00 UTC,
    /// in place and at the same length, so no byte offset (the cross-reference table) moves.
    ///
    /// Chromium (Skia) writes both as `(D:YYYYMMDDHHmmSS+HH'mm')`: the 14 digits and the offset
    /// are overwritten (`+00'00'`; a `Z` stays `Z`). A value of any other shape is left as it is.
    /// Only the dictionary the trailer names as `/Info` is touched, never page content.
    ///
    /// - Returns: whether both dates were found and set.
    package static func setDocumentDates(of pdf: inout [UInt8], to date: LocalDate) -> Bool {
        guard let range = infoDictionaryRange(pdf) else { return false }
        let digits = Array(
            (CivilTime.pad(date.year, 4) + CivilTime.pad(date.month, 2) + CivilTime.pad(date.day, 2) + "000000").utf8
        )
        guard digits.count == 14 else { return false }
        var found = 0
        for key in ["/CreationDate", "/ModDate"] {
            guard let start = firstIndex(of: Array("\(key) (D:".utf8), in: pdf, range: range) else { continue }
            let valueStart = start + key.utf8.count + 4
            if setDate(&pdf, at: valueStart, limit: range.upperBound, digits: digits) { found += 1 }
        }
        return found == 2
    }

    /// Overwrites `D:`'s 14 digits at `index` and the time zone after them.
    private static func setDate(_ pdf: inout [UInt8], at index: Int, limit: Int, digits: [UInt8]) -> Bool {
        guard index + 15 <= limit, pdf[index..<index + 14].allSatisfy(isDigit) else { return false }
        let zone = index + 14
        let zoneBytes: [UInt8]
        if pdf[zone] == UInt8(ascii: ")") || pdf[zone] == UInt8(ascii: "Z") {
            zoneBytes = []
        } else {
            // +HH'mm'
            guard zone + 8 <= limit, pdf[zone] == UInt8(ascii: "+") || pdf[zone] == UInt8(ascii: "-"),
                isDigit(pdf[zone + 1]), isDigit(pdf[zone + 2]), pdf[zone + 3] == UInt8(ascii: "'"),
                isDigit(pdf[zone + 4]), isDigit(pdf[zone + 5]), pdf[zone + 6] == UInt8(ascii: "'"),
                pdf[zone + 7] == UInt8(ascii: ")")
            else { return false }
            zoneBytes = Array("+00'00'".utf8)
        }
        pdf.replaceSubrange(index..<index + 14, with: digits)
        pdf.replaceSubrange(zone..<zone + zoneBytes.count, with: zoneBytes)
        return true
    }

    /// The bytes of the object the last trailer names as `/Info`, from `N 0 obj` to `endobj`.
    private static func infoDictionaryRange(_ pdf: [UInt8]) -> Range<Int>? {
        guard let trailer = lastIndex(of: Array("trailer".utf8), in: pdf),
            let info = firstIndex(of: Array("/Info ".utf8), in: pdf, range: trailer..<pdf.count)
        else { return nil }
        var index = info + 6
        var number = 0
        while index < pdf.count, isDigit(pdf[index]), number < 10_000_000 {
            number = number * 10 + Int(pdf[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > info + 6 else { return nil }
        // An object starts a line: at the start of the file's body or after an end of line.
        let header = Array("\(number) 0 obj".utf8)
        var searchFrom = 0
        while let start = firstIndex(of: header, in: pdf, range: searchFrom..<trailer) {
            let startsLine = start > 0 && (pdf[start - 1] == UInt8(ascii: "\n") || pdf[start - 1] == UInt8(ascii: "\r"))
            if startsLine, let end = firstIndex(of: Array("endobj".utf8), in: pdf, range: start..<trailer) {
                return start..<end
            }
            searchFrom = start + header.count
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return nil }
        var index = range.lowerBound
        while index <= range.upperBound - needle.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = bytes.count - needle.count
        while index >= 0 {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
