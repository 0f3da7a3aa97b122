public import SMDRCore

/// A line that did not parse and that a load stored (with its error) in `raw_record`.
public struct IngestRejection: Hashable, Sendable, CustomStringConvertible {
    public var source: IngestSource
    /// Line number in the file (1-based) or byte offset in the journal.
    public var position: Int64
    public var error: SMDRParseError

    public init(source: IngestSource, position: Int64, error: SMDRParseError) {
        self.source = source
        self.position = position
        self.error = error
    }

    /// `FILE:LINE: rejected: CODE in field N (Name) at byte B`, as `smdr parse` reports it.
    public var description: String {
        "\(self.source.name == "-" ? "<stdin>" : self.source.name):\(self.position): rejected: \(self.error)"
    }
}
