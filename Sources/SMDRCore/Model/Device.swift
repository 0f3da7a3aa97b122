/// A party device code (fields 12 and 14), classified from the code and, for a `V` code outside
/// the documented ranges, from the party name (fields 13 and 15).
///
/// | code | kind |
/// |---|---|
/// | `E<extension>` | ``Kind/extension`` |
/// | `T<9000 + line>` | ``Kind/trunk`` |
/// | `V<9500 + channel>` (any `V9xxx`) | ``Kind/voicemail`` |
/// | `V1<conference><channel>` (`V1xxxx`, 5+ digits starting with 1) | ``Kind/conference`` |
/// | `V<8000 + device>` | ``Kind/other`` (`V8000` is unknown/tone) |
/// | any other `V…`, or a `V8…` one, named `CO Channel …` (`V-1610602733`, `V83896082`, `V23`) | ``Kind/conference`` |
/// | any other `V…`, or a `V8…` one, named `VM Channel …` | ``Kind/voicemail`` |
/// | empty | ``Kind/none`` |
/// | anything else (`Barred`, `Wakeup Call`, …) | ``Kind/unrecognised`` |
///
/// Real captures show conference channels outside the documented range, all named
/// `CO Channel <conference>.<channel>` (smdr-format.md §8); the name decides only where the code
/// does not (a `V11001` named `VM Channel 1` is still a conference channel).
public struct Device: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case `extension`
        case trunk
        case voicemail
        case conference
        case other
        case none
        case unrecognised
    }

    /// The code exactly as written (`E2101`, `T9005`, `V11001`, `Barred`).
    public var code: String
    public var kind: Kind
    /// The digits after the prefix letter, when they are all digits (`2101`, `9005`, `11001`).
    public var number: Int?

    public init(code: String, kind: Kind, number: Int?) {
        self.code = code
        self.kind = kind
        self.number = number
    }

    public var description: String { self.code }
}
