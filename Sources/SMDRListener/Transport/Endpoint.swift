/// A TCP host and port: `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` (all IPv4 interfaces).
public struct Endpoint: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    public var host: String
    /// 0–65535; 0 asks the system for a free port when binding.
    public var port: Int

    public init(host: String, port: Int) {
        precondition((0...65535).contains(port), "port must be 0...65535")
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT`, or `:PORT`. A bare IPv6 address needs the brackets.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), port <= 65535
        else { return nil }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = String(host.dropFirst().dropLast())
            guard host.contains(":"), IPAddress(host) != nil else { return nil }
        } else if host.contains(":") {
            return nil
        } else if host.isEmpty {
            host = "0.0.0.0"
        }
        self.init(host: host, port: port)
    }

    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}
