/// An import refused because what it would change is not what its caller agreed to: the web
/// app's preview showed one set of changes, and by the time of apply the register (another
/// user's change) made it another. Nothing was applied.
package struct RegisterChangedError: Error, Hashable, Sendable {
    /// What the import would change now.
    package var changes: RegisterChanges

    package init(changes: RegisterChanges) { self.changes = changes }
}
