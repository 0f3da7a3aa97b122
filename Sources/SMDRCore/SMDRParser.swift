/// Parses one IP Office SMDR line into a ``CallRecord``.
///
/// Placeholder signature; the implementation lands with the parser work.
public struct SMDRParser: Sendable {
    public init() {}

    /// Parses one SMDR line, given without its line terminator.
    public func parse(_ line: Span<UInt8>) throws(SMDRParseError) -> CallRecord {
        throw SMDRParseError(code: .tooFewFields, field: nil, offset: 0)
    }

    /// Parses one SMDR line, given without its line terminator.
    public func parse(_ line: some Collection<UInt8>) throws(SMDRParseError) -> CallRecord {
        throw SMDRParseError(code: .tooFewFields, field: nil, offset: 0)
    }
}
