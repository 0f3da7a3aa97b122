import SMDRCore

/// The bytes of one trace line, built without intermediate strings: a rating of a million legs
/// writes about as many traces, so each is one buffer and one `String` at the end.
struct TraceText {
    private var bytes: [UInt8] = []

    init(capacity: Int = 128) {
        self.bytes.reserveCapacity(capacity)
    }

    /// Empty, keeping the buffer for the next trace.
    mutating func removeAll() {
        self.bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
    }

    /// Decimal digits, with `-` when negative.
    mutating func append(_ value: Int) {
        self.append(magnitude: UInt64(value.magnitude), negative: value < 0, scale: 0)
    }

    /// As ``ExactDecimal/description``: `1.45`, `0.0618`, `-2.50`, `6000`.
    mutating func append(_ value: ExactDecimal) {
        self.append(magnitude: value.units.magnitude, negative: value.units < 0, scale: value.scale)
    }

    private mutating func append(magnitude: UInt64, negative: Bool, scale: Int) {
        if negative { self.bytes.append(UInt8(ascii: "-")) }
        var count = 1
        var probe = magnitude
        while probe >= 10 {
            probe /= 10
            count += 1
        }
        // Integer digits (at least one), then the point and `scale` fraction digits.
        let integerDigits = max(count - max(scale, 0), 1)
        let width = scale > 0 ? integerDigits + 1 + scale : count
        let start = self.bytes.count
        self.bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = magnitude
        var position = start + width - 1
        if scale > 0 {
            for _ in 0..<scale {
                self.bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                position -= 1
            }
            self.bytes[position] = UInt8(ascii: ".")
            position -= 1
        }
        while position >= start {
            self.bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            position -= 1
        }
    }

    var text: String { String(decoding: self.bytes, as: UTF8.self) }
}
