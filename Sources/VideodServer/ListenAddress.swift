import Foundation

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

    /// Whether every address the host resolves to is a loopback address (127.0.0.0/8, ::1). A name
    /// is resolved, not read: `127.example.com` may point anywhere.
    public var isLoopback: Bool {
        let addresses = Self.resolve(host)
        return !addresses.isEmpty && addresses.allSatisfy(\.isLoopback)
    }

    private enum Address {
        case v4(UInt32)
        case v6([UInt8])

        var isLoopback: Bool {
            switch self {
            case .v4(let address): address >> 24 == 127
            case .v6(let bytes): bytes == [UInt8](repeating: 0, count: 15) + [1]
                || (bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] && bytes[12] == 127)
            }
        }
    }

    private static func resolve(_ host: String) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var found: [Address] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let socketAddress = entry.pointee.ai_addr else { continue }
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    found.append(.v4(UInt32(bigEndian: $0.pointee.sin_addr.s_addr)))
                }
            case AF_INET6:
                socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    found.append(.v6(withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }))
                }
            default:
                continue
            }
        }
        return found
    }
}
