import Credentials
import Crypto
import Foundation

/// RTSP authentication as encoders and cameras do it (RFC 2326 → RFC 2617): Digest with MD5 (with
/// or without `qop=auth`), and Basic when the operator allows it (it sends the secret in clear),
/// from the credentials in `rtsp://user:password@host/…`. The user name is an access key and the
/// password its secret key — the same keys the HTTP APIs verify.
public struct RTSPAuthenticator: Sendable {
    let keys: AccessKeys
    let realm: String
    let allowsBasic: Bool

    public init(keys: AccessKeys, realm: String = "videod", allowsBasic: Bool = false) {
        self.keys = keys
        self.realm = realm
        self.allowsBasic = allowsBasic
    }

    /// The headers of a 401 reply; Digest first (clients prefer the first scheme they support).
    func challenge(nonce: String) -> [(name: String, value: String)] {
        [("WWW-Authenticate", "Digest realm=\"\(realm)\", nonce=\"\(nonce)\", algorithm=MD5")]
            + (allowsBasic ? [("WWW-Authenticate", "Basic realm=\"\(realm)\"")] : [])
    }

    /// Whether the request's `Authorization` proves a known key, for a challenge with `nonce`.
    func accepts(_ request: RTSPRequest, nonce: String) -> Bool {
        guard let header = request.header("Authorization") else { return false }
        let space = header.firstIndex(of: " ") ?? header.endIndex
        let scheme = header[..<space].lowercased()
        let rest = header[space...].trimmingCharacters(in: .whitespaces)
        switch scheme {
        case "basic":
            return allowsBasic && BasicCredentials.prove(rest, against: keys)
        case "digest":
            let p = Self.parameters(rest)
            guard let user = p["username"], let password = keys.secret(for: user), p["nonce"] == nonce, p["realm"] == realm,
                  let uri = p["uri"], Self.digestURI(uri, names: request.uri), let response = p["response"],
                  (p["algorithm"] ?? "MD5").uppercased() == "MD5"
            else { return false }
            let ha1 = Self.md5("\(user):\(realm):\(password)")
            let ha2 = Self.md5("\(request.method):\(uri)")
            let expected: String
            if let qop = p["qop"] {
                guard qop == "auth", let nc = p["nc"], nc.utf8.count == 8, UInt32(nc, radix: 16).map({ $0 > 0 }) == true,
                      let cnonce = p["cnonce"] else { return false }
                expected = Self.md5("\(ha1):\(nonce):\(nc):\(cnonce):\(qop):\(ha2)")
            } else {
                expected = Self.md5("\(ha1):\(nonce):\(ha2)")
            }
            return ConstantTime.equal(expected, response.lowercased())
        default:
            return false
        }
    }

    /// The Digest `uri` must name the request's resource (RFC 2617 §3.2.2.5): the same URI, or
    /// its path (clients behind a proxy may sign the path alone).
    static func digestURI(_ uri: String, names requestURI: String) -> Bool {
        if uri == requestURI { return true }
        guard uri.hasPrefix("/"), let path = URLComponents(string: requestURI)?.percentEncodedPath else { return false }
        return uri == path
    }

    /// A fresh nonce for one connection's challenges.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// `key=value` and `key="quoted, value"` pairs separated by commas.
    static func parameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...].drop { $0 == " " }
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let c = rest.first, c != "\"" {
                    if c == "\\", rest.count > 1 { rest = rest.dropFirst() }
                    value.append(rest.first!)
                    rest = rest.dropFirst()
                }
                rest = rest.dropFirst()
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }

    static func md5(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
