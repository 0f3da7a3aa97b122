/// Field 5: `I` for inbound, `O` for outbound. Internal calls are `O` (see ``CallRecord/isInternal``).
public enum Direction: String, Hashable, Sendable {
    case inbound = "I"
    case outbound = "O"
}
