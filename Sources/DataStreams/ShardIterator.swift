import Crypto
import Foundation
import Primitives

/// A shard iterator: the stream (id and creation time, so a recreated stream rejects old
/// iterators), the shard, the next counter to read and the issue time, signed with HMAC-SHA256
/// so that clients cannot forge positions. Expires five minutes after issue.
public struct ShardIterator: Equatable, Sendable {
    public static let lifetimeMillis: Int64 = 5 * 60 * 1000

    public var streamID: Int64
    public var streamCreatedAt: Int64
    public var shard: Int
    public var nextCounter: Int64
    public var issuedAt: Int64

    public func encode(secret: [UInt8]) -> String {
        let payload = Data("1|\(streamID)|\(streamCreatedAt)|\(shard)|\(nextCounter)|\(issuedAt)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: secret))
        return Base64URL.encode(payload) + "." + Base64URL.encode(Data(mac))
    }

    public static func decode(_ text: String, secret: [UInt8]) -> ShardIterator? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])),
              let mac = Base64URL.decode(String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: SymmetricKey(data: secret)),
              let fields = String(data: payload, encoding: .utf8)?.split(separator: "|"), fields.count == 6, fields[0] == "1",
              let streamID = Int64(fields[1]), let created = Int64(fields[2]), let shard = Int(fields[3]),
              let next = Int64(fields[4]), let issued = Int64(fields[5]) else { return nil }
        return ShardIterator(streamID: streamID, streamCreatedAt: created, shard: shard, nextCounter: next, issuedAt: issued)
    }
}
