/// Text for a terminal: values made harmless and measured in columns.
///
/// A caller's name can hold anything, ESC sequences included, which would move the cursor,
/// recolour or clear the screen of whoever prints the report; and an emoji or a CJK name takes
/// two columns, so counting characters would misalign every column after it.
package enum TerminalText {
    /// `text` with nothing a terminal would act on: tab, CR and LF as a space; other control
    /// characters (C0, DEL, C1: ESC and CSI among them) and bidirectional controls (which
    /// reorder what follows them) as `?`.
    package static func sanitized(_ text: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: scalars.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: scalars.append("?")
            case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: scalars.append("?")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Columns `text` takes in a terminal, grapheme by grapheme: 2 for an emoji (a ZWJ sequence
    /// such as 👩‍⚖️ is one) and East Asian wide or fullwidth characters, 0 for a lone combining
    /// mark or format character, else 1. Expects sanitized text.
    package static func width(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + Self.width(of: $1) }
    }

    /// `text` cut to at most `maximum` columns, ending in `…` when cut.
    package static func truncated(_ text: String, maximum: Int) -> String {
        guard Self.width(text) > maximum else { return text }
        var result = ""
        var width = 0
        for character in text {
            let next = Self.width(of: character)
            if width + next > maximum - 1 { break }
            result.append(character)
            width += next
        }
        return result + "…"
    }

    /// `text` padded with spaces to `width` columns, on the right (`.left`) or the left.
    static func padded(_ text: String, to width: Int, alignment: TextTable.Alignment) -> String {
        let padding = String(repeating: " ", count: max(width - Self.width(text), 0))
        switch alignment {
        case .left: return text + padding
        case .right: return padding + text
        }
    }

    private static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.properties.isEmojiPresentation })
            || (scalars.contains { $0.value == 0xFE0F } && first.properties.isEmoji)
        {
            return 2
        }
        if Self.isWide(first) { return 2 }
        if Self.isZeroWidth(first) { return 0 }
        return 1
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return scalar.value == 0x200B || (0x1160...0x11FF).contains(scalar.value)
        }
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks (Unicode's EastAsianWidth.txt, by block).
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,
            0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
