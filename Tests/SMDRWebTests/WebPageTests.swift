import SMDRWeb
import Testing

/// The shell's download header: a file name built from a client ID may hold anything.
@Suite struct WebPageTests {
    @Test(arguments: [
        ("statement-ACME-2026-04.pdf", "attachment; filename=\"statement-ACME-2026-04.pdf\""),
        // Quotes, backslashes, controls and DEL go.
        ("a\"b\\c\u{7F}d\u{01}e\r\nf.pdf", "attachment; filename=\"abcdef.pdf\""),
        // Beyond ASCII: `_` in the plain name, the whole name percent-encoded in RFC 6266's `filename*`.
        ("statement-Müller-2026-04.pdf", "attachment; filename=\"statement-M_ller-2026-04.pdf\"; filename*=UTF-8''statement-M%C3%BCller-2026-04.pdf"),
        // A right-to-left override (U+202E) is a format character: it goes too.
        ("x\u{202E}fdp.exe", "attachment; filename=\"xfdp.exe\""),
    ])
    func contentDispositionKeepsOnlyASafeName(fileName: String, header: String) {
        #expect(WebPage.contentDisposition(fileName: fileName) == header)
    }
}
