extension WebStyle {
    /// The users page's look.
    static let users = """
        label.inline { display: inline; margin: 0; }
        table.users td.changes form.inline { display: inline-flex; gap: .35rem; align-items: center; flex-wrap: wrap; margin: 0 .75rem .35rem 0; }
        table.users td.changes input[type="password"] { width: 9rem; }
        table.users td.state.disabled { color: var(--bad); }
        form.add-user { max-width: 24rem; }
        form.add-user input, form.add-user select { width: 100%; }
        """
}
