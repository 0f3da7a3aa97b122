import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An address could not be bound: in use by another process, not an address of this host, or a
/// port below 1024 without the privilege.
public struct BindError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The address that was asked for.
    public var endpoint: Endpoint
    /// What the system said, in words: `address already in use`.
    public var reason: String

    public init(endpoint: Endpoint, error: any Error) {
        self.endpoint = endpoint
        if let error = error as? IOError, let text = strerror(error.errnoCode) {
            let reason = String(cString: text)
            self.reason = reason.prefix(1).lowercased() + reason.dropFirst()
        } else {
            self.reason = "\(error)"
        }
    }

    public var description: String { "cannot listen on \(self.endpoint): \(self.reason)" }
}
