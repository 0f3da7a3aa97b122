/// Receives a journal's events, so the application can count them without this
/// module depending on a metrics backend. `ListenerObservabilityDelegate` refines it with the
/// listener's events.
///
/// Every method has an empty default implementation: implement only what you count. Methods
/// are called synchronously from the journal's writer or from appending tasks: keep them cheap
/// and non-blocking.
public protocol JournalObservabilityDelegate: Sendable {
    /// `count` lines of `site` became durable in one group commit (`bytes` journal bytes,
    /// written and synced in `duration`).
    func linesJournaled(site: String, count: Int, bytes: Int, duration: Duration)
    /// The journal of `site` is full: appends wait, and sockets stop being read.
    func journalBackpressureStarted(site: String)
    /// The journal of `site` has room again.
    func journalBackpressureEnded(site: String)
    /// The journal of `site` now keeps `retainedBytes` on disk (its depth; released segments excluded).
    func journalDepthChanged(site: String, retainedBytes: Int64)
    /// Recovery cut `bytes` of a torn, never-acknowledged tail from the journal of `site`.
    func journalTailTruncated(site: String, bytes: Int64)
}

extension JournalObservabilityDelegate {
    public func linesJournaled(site: String, count: Int, bytes: Int, duration: Duration) {}
    public func journalBackpressureStarted(site: String) {}
    public func journalBackpressureEnded(site: String) {}
    public func journalDepthChanged(site: String, retainedBytes: Int64) {}
    public func journalTailTruncated(site: String, bytes: Int64) {}
}

/// Ignores every journal event.
public struct NoOpJournalObservability: JournalObservabilityDelegate {
    public init() {}
}
