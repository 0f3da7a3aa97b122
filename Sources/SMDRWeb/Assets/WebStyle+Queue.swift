extension WebStyle {
    /// The look of the review queue, the calls and the dashboard (with the bar charts' SVG rules
    /// `smdr report --html` keeps in its inline style).
    static let queue = """
        table.queue td, table.calls td { font-size: .93rem; }
        table.queue form.assign { display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; margin: 0; }
        table.queue form.assign .suggestions { order: -1; display: flex; flex-wrap: wrap; gap: .3rem; }
        table.queue form.assign .typed { display: flex; gap: .3rem; flex-wrap: wrap; }
        table.queue form.assign input[name="code"] { width: 8rem; }
        table.queue form.assign input[name="note"] { width: 10rem; }
        button.suggestion { background: #fff; color: var(--accent); font-size: .9rem; padding: .2rem .5rem; }
        button.suggestion:hover, button.suggestion:focus { background: var(--accent); color: #fff; }
        td.reason.unverified, .flag.unverified { color: var(--bad); }
        .flag { font-size: .8rem; border: 1px solid currentColor; border-radius: 3px; padding: 0 .25rem; }
        .flag.blocked { color: var(--bad); font-weight: 600; }
        .caller { color: var(--muted); font-style: italic; }
        .direction { color: var(--muted); font-size: .8rem; text-transform: uppercase; }
        form.bulk { display: flex; gap: .75rem; flex-wrap: wrap; align-items: end; margin: 0 0 .75rem; padding: .5rem .75rem; background: var(--soft); border: 1px solid var(--line); border-radius: 3px; }
        form.bulk label { margin: 0; }
        ul.charges { margin: 0; padding-left: 1rem; }
        ul.charges .trace { color: var(--muted); }
        .tiles { display: flex; gap: 1rem; flex-wrap: wrap; margin: 0 0 1rem; }
        .tile { flex: 1 1 16rem; border: 1px solid var(--line); border-radius: 3px; padding: .5rem .75rem; }
        .tile h2 { margin-top: 0; }
        .queue-calls, .unbilled-minutes { font-size: 1.4rem; font-weight: 700; }
        td.bad { color: var(--bad); font-weight: 700; }
        .charts { display: flex; gap: 1rem; flex-wrap: wrap; }
        figure.chart { flex: 1 1 32rem; margin: 0 0 1rem; }
        figure.chart figcaption { font-weight: 600; margin: 0 0 .25rem; }
        figure.chart svg { display: block; width: 100%; height: auto; }
        figure.chart svg text { font-family: inherit; font-size: 11px; fill: #222; }
        figure.chart svg .axis { fill: #555; }
        figure.chart svg .grid { stroke: #ddd; stroke-width: 1; }
        figure.chart svg .bar { fill: #3b6ea5; }
        figure.chart svg .other { fill: #9aa9b8; }
        figure.chart .note { color: var(--muted); }
        """
}
