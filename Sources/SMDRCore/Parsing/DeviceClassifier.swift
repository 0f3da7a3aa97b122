/// Classifies a party device code (fields 12 and 14) from its bytes alone.
///
/// | code | kind | rule |
/// |---|---|---|
/// | `E2101` | extension | `E` and one or more digits |
/// | `T9005` | trunk | `T` and one or more digits |
/// | `V9502`, `V9051` | voicemail | `V`, then 4+ digits starting with `9` |
/// | `V11001` | conference | `V`, then 5+ digits starting with `1` |
/// | `V8000` | other | `V`, then 4+ digits starting with `8` |
/// | empty | none | |
/// | `Barred`, `Wakeup Call`, `E12a`, `V42`, … | unrecognised | anything else |
enum DeviceClassifier {
    static func classify(_ code: UnsafeBufferPointer<UInt8>) -> (kind: Device.Kind, number: Int?) {
        guard let prefix = code.first else { return (.none, nil) }
        let digitCount = code.count - 1
        guard digitCount > 0 else { return (.unrecognised, nil) }
        var number = 0
        for index in 1..<code.count {
            let digit = ASCII.digitValue(code[index])
            guard digit < 10 else { return (.unrecognised, nil) }
            number = number &* 10 &+ Int(digit)
        }
        // More digits than fit an Int: keep the kind, drop the number.
        let value: Int? = digitCount <= FieldReader.maximumSignificantDigits ? number : nil
        switch prefix {
        case ASCII.upperE:
            return (.extension, value)
        case ASCII.upperT:
            return (.trunk, value)
        case ASCII.upperV:
            switch code[1] {
            case ASCII.nine where digitCount >= 4: return (.voicemail, value)
            case ASCII.one where digitCount >= 5: return (.conference, value)
            case ASCII.eight where digitCount >= 4: return (.other, value)
            default: return (.unrecognised, nil)
            }
        default:
            return (.unrecognised, nil)
        }
    }
}

extension Device {
    /// A device with the given code, classified the way ``SMDRParser`` classifies fields 12 and 14.
    ///
    /// `Device(code: "V11001")` is a conference channel with number 11001; `Device(code: "")` is
    /// ``Kind/none``; `Device(code: "Barred")` is ``Kind/unrecognised``.
    public init(code: String) {
        var code = code
        let (kind, number) = code.withUTF8 { DeviceClassifier.classify($0) }
        self.init(code: code, kind: kind, number: number)
    }
}
