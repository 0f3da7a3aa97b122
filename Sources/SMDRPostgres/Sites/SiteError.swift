/// A site is missing or misconfigured.
public struct SiteError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { self.message }
}
