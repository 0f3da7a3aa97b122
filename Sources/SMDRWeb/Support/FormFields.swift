/// The fields of a submitted form, in order, as `application/x-www-form-urlencoded` or
/// `multipart/form-data` (a file upload) sent them. A name can repeat (`call=1&call=2`).
package struct FormFields: Sendable, Hashable {
    package private(set) var fields: [(name: String, value: String)] = []

    package init() {}

    /// The files of a multipart form, byte for byte (a part with a `filename`); their content
    /// is also among ``fields``, as text.
    package private(set) var uploads: [Upload] = []

    /// A file sent with a form (`<input type="file">`).
    package struct Upload: Hashable, Sendable {
        package var name: String
        /// The name the browser gave (empty when no file was chosen); for messages only.
        package var fileName: String
        package var bytes: [UInt8]
    }

    init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    /// The first value of `name`.
    package subscript(name: String) -> String? { self.fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    package func all(_ name: String) -> [String] { self.fields.filter { $0.name == name }.map(\.value) }

    /// Whether `name` says yes: a checkbox's `on`, a hidden field's `true`, or `1`/`yes` (any
    /// case); absent or anything else is no. The one reading of a form's yes/no values.
    func isYes(_ name: String) -> Bool {
        ["on", "true", "1", "yes"].contains(self[name]?.lowercased() ?? "")
    }

    /// The first file sent as `name`, if the form was multipart and had one.
    package func upload(_ name: String) -> Upload? { self.uploads.first { $0.name == name } }

    package static func == (lhs: FormFields, rhs: FormFields) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
            && lhs.uploads == rhs.uploads
    }

    package func hash(into hasher: inout Hasher) {
        for field in self.fields {
            hasher.combine(field.name)
            hasher.combine(field.value)
        }
        hasher.combine(self.uploads)
    }

    // MARK: parsing

    /// Fields one form may have, at most: the longest form of the app (a review-queue page
    /// of calls) has a few hundred; `&=&=…` must not make millions.
    package static let maximumFields = 10_000

    /// Why a body could not be read as a form.
    package struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        package var description: String
        /// The form has more than ``FormFields/maximumFields`` fields (413, not a malformed 400).
        package var isTooLarge = false
    }

    /// Whether `type` (a `Content-Type`) is `multipart/form-data`.
    package static func isMultipart(_ type: String?) -> Bool {
        (type ?? "").lowercased().hasPrefix("multipart/form-data")
    }

    /// Parses `body` by its `Content-Type`: URL-encoded, or multipart with its boundary.
    package static func parse(contentType: String?, body: [UInt8]) throws(ParseError) -> FormFields {
        let type = (contentType ?? "").lowercased()
        if Self.isMultipart(type) {
            guard let boundary = Self.parameter("boundary", in: contentType ?? ""), Self.isValidBoundary(boundary) else {
                throw ParseError(description: "multipart/form-data without a valid boundary (1 to 70 of RFC 2046's characters)")
            }
            return try Self.multipart(body, boundary: boundary)
        }
        if type.isEmpty || type.hasPrefix("application/x-www-form-urlencoded") {
            return try Self.urlEncoded(body, maximumFields: Self.maximumFields)
        }
        throw ParseError(description: "expected a form (application/x-www-form-urlencoded or multipart/form-data), got \(contentType ?? "nothing")")
    }

    /// RFC 2046 §5.1.1: 1 to 70 of `0-9 A-Z a-z ' ( ) + _ , - . / : = ?` and space, not
    /// ending in a space. A longer one would make each search for it dearer, so it is refused.
    package static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
            default: "'()+_,-./:=? ".utf8.contains(byte)
            }
        }
    }

    /// `a=1&b=x+y%21`: `+` is a space, `%XX` a byte; bytes that are not UTF-8 become U+FFFD.
    /// For a query string or a cookie (bounded by the server's header limits); a body goes
    /// through ``parse(contentType:body:)``, which bounds its fields.
    package static func urlEncoded(_ body: [UInt8]) -> FormFields {
        (try? Self.urlEncoded(body, maximumFields: .max)) ?? FormFields()
    }

    private static func urlEncoded(_ body: [UInt8], maximumFields: Int) throws(ParseError) -> FormFields {
        var fields: [(name: String, value: String)] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard fields.count < maximumFields else { throw Self.tooManyFields }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.percentDecoded(parts[0])
            let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            fields.append((name, value))
        }
        return FormFields(fields)
    }

    private static let tooManyFields = ParseError(description: "the form has more than \(FormFields.maximumFields) fields", isTooLarge: true)

    /// `%XX` as the byte it names, and `+` as a space when `plusIsSpace` (a form or query; a
    /// path segment keeps its `+`); a `%` not followed by two hex digits stays as it is, and
    /// bytes that are not UTF-8 become U+FFFD. The app's one percent-decoder.
    static func percentDecoded(_ bytes: some Collection<UInt8>, plusIsSpace: Bool = true) -> String {
        let bytes = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+"), plusIsSpace {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Hex.value(bytes[index + 1]), let low = Hex.value(bytes[index + 2])
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

    /// `name=value` or `name="value"` among the `;`-separated parameters of a header value
    /// (after its first part, `form-data` or the media type). A quoted value may hold `;` and
    /// `=`, and `\"` / `\\` (RFC 9110 quoted-pair); names compare case-insensitively.
    package static func parameter(_ name: String, in header: String) -> String? {
        var parameters: [(name: String, value: String)] = []
        var scalars = Substring(header).unicodeScalars[...]
        // Skip the first part (up to the first `;` outside quotes; it has none).
        guard let first = scalars.firstIndex(of: ";") else { return nil }
        scalars = scalars[scalars.index(after: first)...]
        while !scalars.isEmpty {
            var key = ""
            while let scalar = scalars.first, scalar != "=", scalar != ";" {
                key.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst()
            }
            var value = ""
            if scalars.first == "=" {
                scalars = scalars.dropFirst()
                while scalars.first == " " || scalars.first == "\t" { scalars = scalars.dropFirst() }
                if scalars.first == "\"" {
                    scalars = scalars.dropFirst()
                    while let scalar = scalars.first {
                        scalars = scalars.dropFirst()
                        if scalar == "\"" { break }
                        if scalar == "\\", let escaped = scalars.first {
                            value.unicodeScalars.append(escaped)
                            scalars = scalars.dropFirst()
                        } else {
                            value.unicodeScalars.append(scalar)
                        }
                    }
                    // Anything between the closing quote and the next `;` is ignored.
                    while let scalar = scalars.first, scalar != ";" { scalars = scalars.dropFirst() }
                } else {
                    while let scalar = scalars.first, scalar != ";" {
                        value.unicodeScalars.append(scalar)
                        scalars = scalars.dropFirst()
                    }
                    value = value.trimmed()
                }
            }
            if scalars.first == ";" { scalars = scalars.dropFirst() }
            parameters.append((key.trimmed().lowercased(), value))
        }
        return parameters.first { $0.name == name.lowercased() }?.value
    }

    /// RFC 7578: parts between `--BOUNDARY` lines, each with its headers; a part's name comes
    /// from its `Content-Disposition`. A file's content is its value (UTF-8, bytes that are not
    /// become U+FFFD) and, exactly as sent, an ``Upload``.
    ///
    /// ## Parsing behavior
    /// - The preamble before the first delimiter and the epilogue after the last are ignored.
    /// - Spaces and tabs after a delimiter (RFC 2046 transport padding) are allowed.
    /// - A body that ends before the closing `--BOUNDARY--`, a part without headers or without
    ///   a `name`, or a delimiter not followed by CRLF is refused (``ParseError``): a truncated
    ///   upload must not import half a file.
    /// - More than ``maximumFields`` parts are refused.
    /// - Linear in the body: each search resumes after the last match (``ByteSearch``), never
    ///   rescanning, whatever the boundary.
    static func multipart(_ body: [UInt8], boundary: String) throws(ParseError) -> FormFields {
        let delimiter = Array("--\(boundary)".utf8)
        let bad = ParseError(description: "a multipart body that does not follow its boundary")
        let findDelimiter = ByteSearch(delimiter)
        let findNextPart = ByteSearch([13, 10] + delimiter)
        let findHeadersEnd = ByteSearch([13, 10, 13, 10])
        guard var position = findDelimiter.first(in: body, from: 0) else { throw bad }
        var form = FormFields()
        while true {
            guard form.fields.count < Self.maximumFields else { throw Self.tooManyFields }
            position += delimiter.count
            // `--` after the delimiter ends the body.
            if body[position...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { break }
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") { position += 1 }
            guard body[position...].starts(with: [13, 10]) else { throw bad }
            position += 2
            guard let headersEnd = findHeadersEnd.first(in: body, from: position) else { throw bad }
            let headers = String(decoding: body[position..<headersEnd], as: UTF8.self)
            let contentStart = headersEnd + 4
            guard let next = findNextPart.first(in: body, from: contentStart) else { throw bad }
            var name: String?
            var fileName: String?
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmed().lowercased() == "content-disposition" else { continue }
                name = Self.parameter("name", in: String(pair[1]))
                fileName = Self.parameter("filename", in: String(pair[1]))
            }
            guard let name else { throw ParseError(description: "a multipart part without a name") }
            let content = Array(body[contentStart..<next])
            form.fields.append((name, String(decoding: content, as: UTF8.self)))
            if let fileName { form.uploads.append(Upload(name: name, fileName: fileName, bytes: content)) }
            position = next + 2
        }
        return form
    }
}
