import Crypto
import Foundation
import Primitives

/// Signs and checks streaming-session tokens: `<payload>.<HMAC-SHA256 of it>`, both base64url.
/// The payload is readable, not secret; the signature is what makes a token unforgeable.
public struct SessionToken: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per use).
    let keyBytes: [UInt8]
    /// Tokens are at most this long (a request carrying a longer one is refused unread).
    static let maxLength = 1024

    public init(key: [UInt8]) {
        keyBytes = key
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    func sign(_ session: StreamingSession) -> String {
        let payload = Data(session.encoded.utf8)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))
        return Base64URL.encode(payload) + "." + Base64URL.encode(mac)
    }

    /// The session a token carries when its signature is this server's; nil otherwise.
    func open(_ token: String) -> StreamingSession? {
        guard token.utf8.count <= Self.maxLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])), let mac = Base64URL.decode(String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key),
              let text = String(data: payload, encoding: .utf8) else { return nil }
        return StreamingSession(encoded: text)
    }
}
