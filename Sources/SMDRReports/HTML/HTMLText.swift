/// Escaping of text for HTML: element content and double- or single-quoted attribute values.
///
/// Every value a page shows comes from outside in the end (a caller's name arrives over SIP, a
/// client's name from the practice-management system), so each one goes through here and reads
/// as text, never as markup: `<script>` shows as `<script>`.
package enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references, and control characters
    /// (other than tab, LF and CR) as U+FFFD, which HTML does not allow in a document.
    package static func escape(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        Self.appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``escape(_:)`` appended to UTF-8 `bytes`, for writers that build a page as bytes.
    package static func appendEscaped(_ text: some StringProtocol, to bytes: inout [UInt8]) {
        var afterC2 = false
        for byte in text.utf8 {
            if afterC2 {
                afterC2 = false
                // U+0080–U+009F (C1 controls; U+009B is a terminal's CSI) are `C2 80`–`C2 9F`.
                if byte < 0xA0 {
                    bytes += Self.replacementCharacter
                } else {
                    bytes += [0xC2, byte]
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "&"): bytes += Self.ampersand
            case UInt8(ascii: "<"): bytes += Self.lessThan
            case UInt8(ascii: ">"): bytes += Self.greaterThan
            case UInt8(ascii: "\""): bytes += Self.quotationMark
            case UInt8(ascii: "'"): bytes += Self.apostrophe
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case 0x00...0x1F, 0x7F: bytes += Self.replacementCharacter
            case 0xC2: afterC2 = true
            default: bytes.append(byte)
            }
        }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quotationMark = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)
    /// U+FFFD in UTF-8.
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
}
