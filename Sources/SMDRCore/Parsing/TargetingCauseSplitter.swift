/// Splits an External Targeting Cause (field 28) into targeter and reason, from its bytes.
///
/// - `U XfP`: split at the first space; spaces before the reason are skipped.
/// - `U`, `HG`: a bare targeter, no reason.
/// - `UFU`, `HGfb`: no space; split when the text starts with a known targeter (`LINE`, `ICR`,
///   `RAS`, `HG`, `AA`, `U`, `?`) and the rest is a known reason (`fb`, `fu`, `fnr`, `fdnd`, `CfP`,
///   `Cfd`, `MT`, `TW`, `XfP`, `Xfd`), both compared without regard to ASCII case.
/// - Anything else is kept whole as the targeter, with no reason.
///
/// The caller trims spaces around the field first. Both parts keep the text as written.
enum TargetingCauseSplitter {
    /// Targeters, longest first so `LINE` is tried before shorter prefixes.
    static let targeters: [[UInt8]] = ["LINE", "ICR", "RAS", "HG", "AA", "U", "?"].map { Array($0.utf8) }
    static let reasons: [[UInt8]] = ["fb", "fu", "fnr", "fdnd", "cfp", "cfd", "mt", "tw", "xfp", "xfd"]
        .map { Array($0.utf8) }

    /// Offsets into `text`: the targeter is `0..<targeterEnd`, the reason `reasonStart..<count`.
    static func split(_ text: UnsafeBufferPointer<UInt8>) -> (targeterEnd: Int, reasonStart: Int?) {
        if let space = text.firstIndex(of: ASCII.space) {
            var reasonStart = space
            while reasonStart < text.count, text[reasonStart] == ASCII.space { reasonStart += 1 }
            return (space, reasonStart < text.count ? reasonStart : nil)
        }
        for targeter in Self.targeters where targeter.count < text.count {
            guard Self.equalsIgnoringCase(text, from: 0, to: targeter.count, targeter) else { continue }
            for reason in Self.reasons where reason.count == text.count - targeter.count {
                if Self.equalsIgnoringCase(text, from: targeter.count, to: text.count, reason) {
                    return (targeter.count, targeter.count)
                }
            }
        }
        return (text.count, nil)
    }

    /// `text[from..<to]` equals `lowercase` (or `pattern`) ignoring ASCII case.
    private static func equalsIgnoringCase(
        _ text: UnsafeBufferPointer<UInt8>, from: Int, to: Int, _ pattern: [UInt8]
    ) -> Bool {
        guard to - from == pattern.count else { return false }
        for index in 0..<pattern.count where ASCII.lowercased(text[from + index]) != ASCII.lowercased(pattern[index]) {
            return false
        }
        return true
    }
}

extension TargetingCause {
    /// Splits External Targeting Cause text the way ``SMDRParser`` does; `nil` when it is empty
    /// or only spaces.
    ///
    /// `TargetingCause(parsing: "U XfP")` is targeter `U`, reason `XfP`; `"UFU"` is `U` and `FU`;
    /// `"U"` is `U` with no reason.
    public init?(parsing text: String) {
        var text = text
        let parts: (String, String?)? = text.withUTF8 { bytes in
            var start = 0
            var end = bytes.count
            while start < end, bytes[start] == ASCII.space { start += 1 }
            while end > start, bytes[end - 1] == ASCII.space { end -= 1 }
            guard start < end else { return nil }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let split = TargetingCauseSplitter.split(trimmed)
            let targeter = String(decoding: trimmed[0..<split.targeterEnd], as: UTF8.self)
            let reason = split.reasonStart.map { String(decoding: trimmed[$0...], as: UTF8.self) }
            return (targeter, reason)
        }
        guard let (targeter, reason) = parts else { return nil }
        self.init(targeter: targeter, reason: reason)
    }
}
