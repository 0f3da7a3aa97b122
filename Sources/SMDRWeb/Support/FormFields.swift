/// The fields of a submitted form, in order, as `application/x-www-form-urlencoded` or
/// `multipart/form-data` (a file upload) sent them. A name can repeat (`call=1&call=2`).
package struct FormFields: Sendable, Hashable {
    package private(set) var fields: [(name: String, value: String)] = []

    package init() {}

    package init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    /// The first value of `name`.
    package subscript(name: String) -> String? { self.fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    package func all(_ name: String) -> [String] { self.fields.filter { $0.name == name }.map(\.value) }

    package static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    package func hash(into hasher: inout Hasher) {
        for field in self.fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
    }

    // MARK: parsing

    /// Why a body could not be read as a form.
    package struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Parses `body` by its `Content-Type`: URL-encoded, or multipart with its boundary.
    package static func parse(contentType: String?, body: [UInt8]) throws(ParseError) -> FormFields {
        let type = (contentType ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = Self.parameter("boundary", in: contentType ?? ""), !boundary.isEmpty else {
                throw ParseError(description: "multipart/form-data without a boundary")
            }
            return try Self.multipart(body, boundary: boundary)
        }
        if type.isEmpty || type.hasPrefix("application/x-www-form-urlencoded") {
            return Self.urlEncoded(body)
        }
        throw ParseError(description: "expected a form (application/x-www-form-urlencoded or multipart/form-data), got \(contentType ?? "nothing")")
    }

    /// `a=1&b=x+y%21`: `+` is a space, `%XX` a byte; bytes that are not UTF-8 become U+FFFD.
    package static func urlEncoded(_ body: [UInt8]) -> FormFields {
        var fields: [(name: String, value: String)] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentDecoded(parts[0])
            let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            fields.append((name, value))
        }
        return FormFields(fields)
    }

    private static func percentDecoded(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = Self.hex(bytes[index + 1]), let low = Self.hex(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `name=value` or `name="value"` among the `;`-separated parameters of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == name else { continue }
            var value = pair[1].trimmingSpaces()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// RFC 7578: parts between `--BOUNDARY` lines, each with its headers; a part's name comes
    /// from its `Content-Disposition`. A file's content is its value (UTF-8).
    static func multipart(_ body: [UInt8], boundary: String) throws(ParseError) -> FormFields {
        let delimiter = Array("--\(boundary)".utf8)
        let bad = ParseError(description: "a multipart body that does not follow its boundary")
        guard var position = Self.find(delimiter, in: body, from: 0) else { throw bad }
        var fields: [(name: String, value: String)] = []
        while true {
            position += delimiter.count
            // `--` after the delimiter ends the body.
            if body[position...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { break }
            guard body[position...].starts(with: [13, 10]) else { throw bad }
            position += 2
            guard let headersEnd = Self.find([13, 10, 13, 10], in: body, from: position) else { throw bad }
            let headers = String(decoding: body[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            guard let next = Self.find([13, 10] + delimiter, in: body, from: contentStart) else { throw bad }
            var name: String?
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingSpaces().lowercased() == "content-disposition" else { continue }
                name = Self.parameter("name", in: String(pair[1]))
            }
            guard let name else { throw ParseError(description: "a multipart part without a name") }
            fields.append((name, String(decoding: body[contentStart..<next], as: UTF8.self)))
            position = next + 2
        }
        return FormFields(fields)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
