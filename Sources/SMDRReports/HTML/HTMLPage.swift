/// The shell both pages share: one self-contained HTML5 document with its print CSS inline.
///
/// Nothing is loaded from anywhere (no font, image, style sheet or script: Chromium prints the
/// page offline, and a statement must look the same in ten years), and the Content Security
/// Policy forbids loading or running anything, so even a value that escaped escaping could not
/// execute. No clock: the same body gives the same bytes.
package enum HTMLPage {
    /// The document: `title` (text) in `<title>`, `body` as it is.
    package static func document(title: String, paper: Paper, body: HTML) -> [UInt8] {
        let page: HTML = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            \(Self.pageRule(paper))\(Self.style)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
        return page.bytes
    }

    /// `@page`: the paper, and margins that leave the same 180 mm wide text on A4 (210 mm) and
    /// Letter (216 mm), so a page laid out for one prints on the other without clipping.
    static func pageRule(_ paper: Paper) -> HTML {
        switch paper {
        case .a4: "@page { size: A4; margin: 14mm 15mm 16mm 15mm; }\n"
        case .letter: "@page { size: letter; margin: 12mm 18mm 14mm 18mm; }\n"
        }
    }

    /// The look of both pages: a system font stack (no web font), tables that repeat their
    /// header rows on each printed page and never split an item (a charge with its calls is one
    /// `tbody.item`), numbers right-aligned in tabular figures.
    private static let style: HTML = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
            font-size: 9.5pt; line-height: 1.35; color: #111; background: #fff; }
        body { max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
        @media print { body { max-width: none; padding: 0; } }
        h1 { font-size: 16pt; margin: 0 0 2mm; }
        h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 0.4mm solid #333; padding-bottom: 1mm; }
        h3 { font-size: 10.5pt; margin: 5mm 0 1.5mm; }
        h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
        p { margin: 0 0 2mm; }
        .masthead { display: flex; justify-content: space-between; gap: 8mm; margin-bottom: 4mm; }
        .firm-name { font-weight: 700; font-size: 12pt; }
        table.facts { width: auto; margin: 0; }
        .facts th { font-weight: 600; padding-right: 4mm; border: 0; }
        .facts td { border: 0; }
        .banner { border: 0.6mm solid #a00; color: #a00; font-weight: 700; padding: 2mm 3mm; margin: 0 0 4mm; }
        .status { font-weight: 600; }
        table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; }
        thead { display: table-header-group; }
        tr, tbody.item { break-inside: avoid; page-break-inside: avoid; }
        th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.2mm;
            border-bottom: 0.2mm solid #d4d4d4; overflow-wrap: anywhere; unicode-bidi: isolate; }
        thead th { border-bottom: 0.4mm solid #333; font-weight: 600; overflow-wrap: normal; }
        table.fees { table-layout: fixed; }
        table.fees th:nth-child(1) { width: 21mm; }
        table.fees th:nth-child(2) { width: 12mm; }
        table.fees th:nth-child(3) { width: 26mm; }
        table.fees th:nth-child(5) { width: 16mm; }
        table.fees th:nth-child(6) { width: 13mm; }
        table.fees th:nth-child(7) { width: 18mm; }
        table.fees th:nth-child(8) { width: 24mm; }
        table.fees th:nth-child(9) { width: 15mm; }
        table.fees td:nth-child(-n+2) { white-space: nowrap; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        tr.call td { border-bottom: 0; padding-top: 0; color: #444; font-size: 8.5pt; }
        tr.call td.party { padding-left: 4mm; }
        tbody.item tr:last-child td { border-bottom: 0.2mm solid #d4d4d4; }
        tr.subtotal td, tr.total td { font-weight: 600; border-top: 0.3mm solid #333; }
        tr.subcode td { color: #444; }
        .muted { color: #666; font-size: 8.5pt; }
        .note { color: #444; font-size: 8.5pt; }
        .box { border: 0.3mm solid #999; padding: 2mm 3mm; margin: 0 0 4mm; break-inside: avoid; }
        figure { margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-weight: 600; margin-bottom: 1mm; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font-family: inherit; font-size: 11px; fill: #222; }
        svg .axis { fill: #555; }
        svg .grid { stroke: #ddd; stroke-width: 1; }
        svg .bar { fill: #3b6ea5; }
        svg .other { fill: #9aa9b8; }
        svg .line { fill: none; stroke: #3b6ea5; stroke-width: 2; }
        svg .point { fill: #3b6ea5; }

        """
}
