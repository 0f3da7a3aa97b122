/// Classifies a party device code (fields 12 and 14) from its bytes, and, for a `V` code outside
/// the documented ranges, from the party's name (fields 13 and 15).
///
/// | code | name | kind | rule |
/// |---|---|---|---|
/// | `E2101` | | extension | `E` and one or more digits |
/// | `T9005` | | trunk | `T` and one or more digits |
/// | `V9502`, `V9051` | | voicemail | `V`, then 4+ digits starting with `9` |
/// | `V11001` | | conference | `V`, then 5+ digits starting with `1` |
/// | `V8000` | | other | `V`, then 4+ digits starting with `8` |
/// | `V-1610602733`, `V83896082`, `V23` | `CO Channel …` | conference | any other `V` code (or an `other` one) named `CO Channel ` |
/// | `V42`, `V8123` | `VM Channel …` | voicemail | any other `V` code (or an `other` one) named `VM Channel ` |
/// | empty | | none | |
/// | `Barred`, `Wakeup Call`, `E12a`, `V42`, … | | unrecognised | anything else |
///
/// Real captures show conference channels outside the documented `V1xxxx` range, always named
/// `CO Channel <conference>.<channel>` (smdr-format.md §8); the name check runs only for `V` codes
/// that the code alone left `unrecognised` or `other`, so the common path stays byte-level.
enum DeviceClassifier {
    /// Party name prefix of a conference channel (`CO Channel 100.1`).
    static let conferenceNamePrefix: [UInt8] = Array("CO Channel ".utf8)
    /// Party name prefix of a voicemail channel (`VM Channel 2`).
    static let voicemailNamePrefix: [UInt8] = Array("VM Channel ".utf8)

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

    /// Classifies `code`, then, for a `V` code that came out `unrecognised` or `other`, by `name`:
    /// `CO Channel …` is a conference channel, `VM Channel …` a voicemail channel. The number is
    /// then the code's digits when they are all digits (`V23` → 23), else `nil` (`V-1610602733`).
    static func classify(
        _ code: UnsafeBufferPointer<UInt8>, name: UnsafeBufferPointer<UInt8>
    ) -> (kind: Device.Kind, number: Int?) {
        let byCode = self.classify(code)
        guard byCode.kind == .unrecognised || byCode.kind == .other, code.first == ASCII.upperV else { return byCode }
        let kind: Device.Kind
        if Self.hasPrefix(name, Self.conferenceNamePrefix) {
            kind = .conference
        } else if Self.hasPrefix(name, Self.voicemailNamePrefix) {
            kind = .voicemail
        } else {
            return byCode
        }
        return (kind, byCode.number ?? Self.digits(code, from: 1))
    }

    /// The all-digit value of `bytes[from...]` (at most 18 digits), else `nil`.
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, bytes.count - start <= FieldReader.maximumSignificantDigits else { return nil }
        var number = 0
        for index in start..<bytes.count {
            let digit = ASCII.digitValue(bytes[index])
            guard digit < 10 else { return nil }
            number = number * 10 + Int(digit)
        }
        return number
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for index in prefix.indices where bytes[index] != prefix[index] { return false }
        return true
    }
}

extension Device {
    /// A device with the given code, classified the way ``SMDRParser`` classifies fields 12 and 14
    /// from the code alone.
    ///
    /// `Device(code: "V11001")` is a conference channel with number 11001; `Device(code: "")` is
    /// ``Kind/none``; `Device(code: "Barred")` is ``Kind/unrecognised``.
    public init(code: String) {
        var code = code
        let (kind, number) = code.withUTF8 { DeviceClassifier.classify($0) }
        self.init(code: code, kind: kind, number: number)
    }

    /// A device with the given code and party name (fields 12–15), classified as ``SMDRParser``
    /// does: by the code, and for a `V` code outside the documented ranges by the name.
    ///
    /// `Device(code: "V23", name: "CO Channel 2.3")` is a conference channel with number 23;
    /// `Device(code: "V-1610602733", name: "CO Channel 268435456.3")` a conference channel with no
    /// number; `Device(code: "V11001", name: "VM Channel 1")` stays a conference channel (the code
    /// decides whenever it classifies).
    public init(code: String, name: String) {
        var code = code
        var name = name
        let (kind, number) = code.withUTF8 { codeBytes in
            name.withUTF8 { DeviceClassifier.classify(codeBytes, name: $0) }
        }
        self.init(code: code, kind: kind, number: number)
    }

    /// The conference and channel numbers of a conference channel's party name
    /// (`CO Channel 100.1` → 100, 1; `CO Channel 268435456.3` → 268435456, 3); `nil` for any
    /// other name.
    public static func conferenceChannel(name: String) -> (conference: Int, channel: Int)? {
        var name = name
        return name.withUTF8 { bytes -> (conference: Int, channel: Int)? in
            let prefix = DeviceClassifier.conferenceNamePrefix
            guard bytes.count > prefix.count, DeviceClassifier.hasPrefix(bytes, prefix),
                let dot = bytes[prefix.count...].firstIndex(of: ASCII.period)
            else { return nil }
            let conferenceBytes = UnsafeBufferPointer(rebasing: bytes[prefix.count..<dot])
            let channelBytes = UnsafeBufferPointer(rebasing: bytes[(dot + 1)...])
            guard let conference = DeviceClassifier.digits(conferenceBytes, from: 0),
                let channel = DeviceClassifier.digits(channelBytes, from: 0)
            else { return nil }
            return (conference, channel)
        }
    }
}
