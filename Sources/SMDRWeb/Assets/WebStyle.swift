/// The app's style rules, one `static let` per area (its extension in this folder); this file
/// holds the look of every page.
enum WebStyle {
    static let base = """
        :root { color-scheme: light; --ink: #111; --muted: #555; --line: #d4d4d4; --accent: #0b5cad; --bad: #a00; --good: #176b2c; --soft: #f4f6f8; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 15px; line-height: 1.4; color: var(--ink); background: #fff; }
        body { margin: 0; }
        main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
        header.top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; padding: .5rem 1.25rem; background: var(--soft); border-bottom: 1px solid var(--line); }
        header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; }
        header.top nav a { color: var(--ink); text-decoration: none; padding: .25rem 0; }
        header.top nav a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--accent); }
        .who { display: flex; align-items: center; gap: .5rem; color: var(--muted); margin: 0; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        a { color: var(--accent); }
        table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; background: var(--soft); }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        form.inline { display: inline; }
        label { display: block; margin: 0 0 .5rem; }
        input, select, textarea, button { font: inherit; }
        input, select, textarea { padding: .3rem .4rem; border: 1px solid #999; border-radius: 3px; }
        button, .button { padding: .3rem .7rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 3px; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: var(--bad); border-color: var(--bad); }
        .flash { border: 1px solid var(--good); color: var(--good); background: #eef8f0; padding: .5rem .75rem; border-radius: 3px; }
        .error { border: 1px solid var(--bad); color: var(--bad); background: #fbeeee; padding: .5rem .75rem; border-radius: 3px; }
        .muted { color: var(--muted); }
        .filters { display: flex; gap: .75rem; flex-wrap: wrap; align-items: end; margin: 0 0 1rem; }
        .filters label { margin: 0; }
        .pager { display: flex; gap: 1rem; margin: .5rem 0; }
        section.signin { max-width: 22rem; margin: 4rem auto; }
        section.signin input { width: 100%; }
        """
}
