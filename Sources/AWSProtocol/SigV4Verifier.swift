import Credentials
import Crypto
import Foundation
import Primitives

/// Verifies AWS Signature Version 4 on a request, as the AWS SDKs and CLI sign them.
/// Failures use AWS's codes: MissingAuthenticationTokenException, UnrecognizedClientException,
/// InvalidSignatureException (which botocore surfaces without retrying).
public struct SigV4Verifier: Sendable {
    public struct Failure: Error, Equatable, Sendable {
        public let code: String
        public let message: String
        public let status: Int

        public init(code: String, message: String, status: Int) {
            self.code = code
            self.message = message
            self.status = status
        }
    }

    public struct Input {
        public var method: String
        /// The path as sent (already percent-encoded), without the query.
        public var path: String
        /// The raw query string, without `?`.
        public var query: String
        /// Header names in any case; repeated headers joined with commas.
        public var headers: [String: String]
        /// SHA-256 of the body in hex, or nil to take `x-amz-content-sha256` from the headers.
        public var payloadHash: String?

        public init(method: String, path: String, query: String, headers: [String: String], payloadHash: String?) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    let keys: AccessKeys
    /// Allowed difference between the request's X-Amz-Date and now, as AWS does.
    let skew: TimeInterval = 15 * 60

    public init(keys: AccessKeys) {
        self.keys = keys
    }

    /// What can be checked without the body: the Authorization header's shape, a known key, a
    /// date within the skew. A caller that must read a large body checks this first, so that an
    /// unknown client cannot make the server read (and hold) it.
    public func precheck(headers input: [String: String], now: Date = Date()) throws {
        _ = try authorization(Self.lowercased(input), now: now)
    }

    /// Returns the access key that signed the request.
    public func verify(_ input: Input, now: Date = Date()) throws -> String {
        let headers = Self.lowercased(input.headers)
        let (parsed, scope, secret, amzDate) = try authorization(headers, now: now)
        let signedHeaders = parsed.signedHeaders.split(separator: ";").map(String.init)
        guard signedHeaders.contains("host") else { throw Self.invalid("SignedHeaders must include host") }
        var canonicalHeaders = ""
        for name in signedHeaders {
            guard let value = headers[name] else { throw Self.invalid("Signed header \(name) is missing") }
            canonicalHeaders += name + ":" + Self.trimAll(value) + "\n"
        }
        guard let payloadHash = input.payloadHash ?? headers["x-amz-content-sha256"] else {
            throw Self.invalid("X-Amz-Content-Sha256 is required for this request")
        }
        let expected = Self.signature(method: input.method, path: input.path, query: input.query,
                                      canonicalHeaders: canonicalHeaders, signedHeaders: parsed.signedHeaders,
                                      payloadHash: payloadHash, amzDate: amzDate, scope: scope[1], secret: secret)
        guard ConstantTime.equal(expected, parsed.signature.lowercased()) else {
            throw Self.invalid("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        }
        return scope[0]
    }

    private static func lowercased(_ headers: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers { result[name.lowercased()] = value }
        return result
    }

    /// The parsed Authorization header, its credential scope split in two (key, rest), the key's
    /// secret and the request date, once each is checked.
    private func authorization(_ headers: [String: String], now: Date)
        throws -> (parsed: (credential: String, signedHeaders: String, signature: String), scope: [String], secret: String,
                   amzDate: String) {
        guard let authorization = headers["authorization"] else {
            throw Failure(code: "MissingAuthenticationTokenException", message: "Missing Authentication Token", status: 403)
        }
        let parsed = try Self.parse(authorization)
        let scope = parsed.credential.split(separator: "/", maxSplits: 1).map(String.init)
        guard scope.count == 2 else { throw Self.invalid("Credential must be <key>/<date>/<region>/<service>/aws4_request") }
        guard let secret = keys.secret(for: scope[0]) else {
            throw Failure(code: "UnrecognizedClientException", message: "The security token included in the request is invalid.", status: 400)
        }
        let scopeParts = scope[1].split(separator: "/")
        guard scopeParts.count == 4, scopeParts[3] == "aws4_request" else { throw Self.invalid("Credential scope is malformed") }
        guard let amzDate = headers["x-amz-date"], let date = Self.parseDate(amzDate) else {
            throw Self.invalid("X-Amz-Date is missing or malformed")
        }
        guard abs(date.timeIntervalSince(now)) <= skew else {
            throw Self.invalid("Signature expired: \(amzDate) is now earlier or later than 15 minutes from the server time.")
        }
        guard amzDate.hasPrefix(scopeParts[0]) else { throw Self.invalid("Credential date does not match X-Amz-Date") }
        return (parsed, scope, secret, amzDate)
    }

    public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// The signature (hex) that a client holding `secret` computes: HMAC chain over the scope,
    /// then over the string to sign, which hashes the canonical request. `canonicalHeaders` is
    /// `name:value\n` per signed header, in `signedHeaders` order; `scope` is
    /// `date/region/service/aws4_request`.
    static func signature(method: String, path: String, query: String, canonicalHeaders: String, signedHeaders: String,
                          payloadHash: String, amzDate: String, scope: String, secret: String) -> String {
        let canonicalRequest = [method.uppercased(), canonicalPath(path), canonicalQuery(query),
                                canonicalHeaders, signedHeaders, payloadHash].joined(separator: "\n")
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, hex(SHA256.hash(data: Data(canonicalRequest.utf8)))]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data(("AWS4" + secret).utf8))
        for part in scope.split(separator: "/") {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    static func invalid(_ message: String) -> Failure {
        Failure(code: "InvalidSignatureException", message: message, status: 403)
    }

    static func parse(_ header: String) throws -> (credential: String, signedHeaders: String, signature: String) {
        guard header.hasPrefix("AWS4-HMAC-SHA256 ") else { throw invalid("Only AWS4-HMAC-SHA256 signatures are supported") }
        var fields: [String: String] = [:]
        for part in header.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let c = fields["Credential"], let h = fields["SignedHeaders"], let s = fields["Signature"] else {
            throw invalid("Authorization header requires Credential, SignedHeaders and Signature")
        }
        return (c, h, s)
    }

    /// `20261201T120000Z` (ISO 8601 basic format, UTC), read as the RFC 3339 time it spells
    /// (a DateFormatter per request cost more than the rest of the check).
    static func parseDate(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count == 16, c[8] == UInt8(ascii: "T"), c[15] == UInt8(ascii: "Z") else { return nil }
        let part = { (range: Range<Int>) in String(decoding: c[range], as: UTF8.self) }
        let rfc3339 = "\(part(0..<4))-\(part(4..<6))-\(part(6..<8))T\(part(9..<11)):\(part(11..<13)):\(part(13..<15))Z"
        return Timestamp.parse(rfc3339).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }

    /// Each path segment decoded, then encoded with AWS's unreserved set (paths are not normalised for S3-style services,
    /// but Kinesis and Kinesis Video sign their paths as sent).
    static func canonicalPath(_ path: String) -> String {
        if path.isEmpty { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            encode(String(segment).removingPercentEncoding ?? String(segment))
        }.joined(separator: "/")
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        return query.split(separator: "&").map { pair -> (String, String) in
            // Empty parts kept: "=" and "=v" are an empty key, never a missing one (a trap).
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { String($0).replacingOccurrences(of: "+", with: " ") }
            let key = kv[0].removingPercentEncoding ?? kv[0]
            let value = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
            return (encode(key), encode(value))
        }.sorted { $0 < $1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(Character(UnicodeScalar(byte)))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
