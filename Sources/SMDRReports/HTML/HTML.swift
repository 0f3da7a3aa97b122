package import SMDRCore

/// A piece of markup, built so that escaping is the default: the literal parts of
/// `"<td>\(name)</td>"` are markup written in the source (a `StaticString`, so never a value from
/// outside), and every interpolated `String`, number or date is escaped (``HTMLText``). Only
/// another `HTML` is inserted as it is.
///
/// The pages are built from these, so no value can land in a page unescaped by forgetting a call.
package struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// UTF-8.
    package private(set) var bytes: [UInt8]

    package init() { self.bytes = [] }

    package init(stringLiteral literal: StaticString) {
        self.bytes = literal.withUTF8Buffer { Array($0) }
    }

    package init(stringInterpolation: StringInterpolation) {
        self.bytes = stringInterpolation.bytes
    }

    /// Escaped text.
    package init(text: some StringProtocol) {
        self.bytes = []
        HTMLText.appendEscaped(text, to: &self.bytes)
    }

    package mutating func append(_ other: HTML) {
        self.bytes += other.bytes
    }

    package static func += (lhs: inout HTML, rhs: HTML) {
        lhs.append(rhs)
    }

    /// The pieces one after the other.
    package static func joined(_ pieces: some Sequence<HTML>) -> HTML {
        var result = HTML()
        for piece in pieces { result.append(piece) }
        return result
    }

    package struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var bytes: [UInt8]

        package init(literalCapacity: Int, interpolationCount: Int) {
            self.bytes = []
            self.bytes.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        /// Markup from the source.
        package mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { self.bytes += $0 }
        }

        /// Markup built by ``HTML``, as it is.
        package mutating func appendInterpolation(_ html: HTML) {
            self.bytes += html.bytes
        }

        /// Text, escaped.
        package mutating func appendInterpolation(_ text: some StringProtocol) {
            HTMLText.appendEscaped(text, to: &self.bytes)
        }

        package mutating func appendInterpolation(_ value: Int) {
            self.bytes += String(value).utf8
        }

        /// As ``ExactDecimal/description`` (`1.45`, `-2.50`).
        package mutating func appendInterpolation(_ value: ExactDecimal) {
            self.bytes += value.description.utf8
        }

        /// `YYYY-MM-DD`.
        package mutating func appendInterpolation(_ date: LocalDate) {
            self.bytes += date.description.utf8
        }
    }
}
