/// The instant a PBX wall-clock time stands for in its site's time zone, and how it was found
/// (DESIGN §5): what `call_leg.call_start`, `time_ambiguous` and `time_nonexistent` store.
public struct ResolvedTime: Hashable, Sendable {
    /// The instant, in seconds since 1970 UTC.
    public var epochSeconds: Int64
    /// The wall-clock time was in the hour repeated after a fall-back.
    public var isAmbiguous: Bool
    /// The wall-clock time was in the hour skipped by a spring-forward, and shifted past it.
    public var isNonexistent: Bool

    public init(epochSeconds: Int64, isAmbiguous: Bool, isNonexistent: Bool) {
        self.epochSeconds = epochSeconds
        self.isAmbiguous = isAmbiguous
        self.isNonexistent = isNonexistent
    }
}
