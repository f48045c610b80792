import Foundation
@testable import KinesisVideo

/// HLS session tokens as players send them back: the signed token and, behind it, the session
/// payload's own parser (reached here directly, since a forged token never gets that far).
enum SessionTokenHarness {
    static let token = SessionToken(key: [UInt8](repeating: 9, count: 32))

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let session = token.open(text) {
            require(token.open(token.sign(session)) == session, "a signed session does not reopen")
        }
        if let session = StreamingSession(encoded: text) {
            require(StreamingSession(encoded: session.encoded) == session, "session round trip of \(text)")
            require(token.open(token.sign(session)) == session, "a parsed session does not survive signing")
        }
    }
}
