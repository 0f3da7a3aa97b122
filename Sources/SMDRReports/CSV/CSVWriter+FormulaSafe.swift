extension CSVWriter {
    /// `text` as a spreadsheet shows it without evaluating it (OWASP "CSV injection"): prefixed
    /// with `'` when its first character after any leading spaces is one a spreadsheet reads as
    /// the start of a formula — `=`, `+`, `-`, `@`, TAB, CR, LF, or the full-width `＝` `＋` `－`
    /// `＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20) that some spreadsheets fold to ASCII; otherwise
    /// `text` unchanged.
    ///
    /// Only for cells that are text: a caller's name arrives over SIP and may hold
    /// `=HYPERLINK("…")`. Typed cells (counts, amounts, dates, booleans) are written as they are,
    /// so a spreadsheet still sums them; they are made by smdr and never start with a formula
    /// character, except a negative amount, which is a number to the spreadsheet too.
    package static func formulaSafe(_ text: String) -> String {
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ":
                continue
            case "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}":
                return "'" + text
            default:
                return text
            }
        }
        return text
    }
}
