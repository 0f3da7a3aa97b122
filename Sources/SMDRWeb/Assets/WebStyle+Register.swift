extension WebStyle {
    /// The register pages' look: lists, the clients page, the row form and the import preview.
    static let register = """
        .crumbs { margin: 0; color: var(--muted); font-size: .9rem; }
        .tools { display: flex; gap: .5rem; flex-wrap: wrap; margin: 0 0 .75rem; }
        .table-scroll { overflow-x: auto; }
        table.register-rows td[data-column] { white-space: nowrap; max-width: 24rem; overflow: hidden; text-overflow: ellipsis; }
        table.register-rows td.actions { white-space: nowrap; }
        table.register-rows tr.inactive td { color: var(--muted); }
        table.register-rows tr.blocked td { background: #fff6f6; }
        .flag-blocked, .flag-inactive { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; }
        .flag-blocked { color: var(--bad); }
        .flag-inactive { color: var(--muted); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        ul.plain { list-style: none; margin: 0; padding: 0; }
        table.clients .id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        table.clients li.inactive { color: var(--muted); }
        table.clients li.blocked { color: var(--bad); }
        form.register-form, form.register-import { max-width: 46rem; }
        form.register-form .field, form.register-import .field { margin: 0 0 .75rem; }
        form.register-form label, form.register-import .field > label { font-weight: 600; margin: 0 0 .2rem; }
        form.register-form input, form.register-form select { width: 100%; }
        form.register-form input[readonly] { background: var(--soft); color: var(--muted); }
        form.register-import textarea { width: 100%; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
        label.check { font-weight: 400; }
        .hint { display: block; color: var(--muted); font-size: .85rem; }
        .key-mark { font-size: .75rem; font-weight: 400; color: var(--muted); border: 1px solid var(--line); border-radius: 3px; padding: 0 .25rem; }
        .field.invalid input, .field.invalid select { border-color: var(--bad); }
        .field-problem { color: var(--bad); margin: .2rem 0 0; font-size: .9rem; }
        #problems ul { margin: .25rem 0 0; padding-left: 1.25rem; }
        table.preview tr.add td:first-child { color: var(--good); font-weight: 600; }
        table.preview tr.change td:first-child { color: var(--accent); font-weight: 600; }
        table.preview tr.remove td:first-child, table.preview tr.deactivate td:first-child { color: var(--bad); font-weight: 600; }
        p.summary { font-weight: 600; }
        """
}
