/// A `HOST:PORT` listen address (`[::1]:8080` for IPv6; an empty host means every interface).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }

    public var isLoopback: Bool { host == "localhost" || host.hasPrefix("127.") || host == "::1" }
}
