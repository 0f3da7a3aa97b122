extension WebStyle {
    /// The statements list's look.
    static let statements = """
        table.statements td.state.closed { color: var(--good); }
        table.statements td.state.open { color: var(--muted); }
        table.statements a.statement-pdf { margin-left: .5rem; }
        p.empty { color: var(--muted); }
        """
}
