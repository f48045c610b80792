import Foundation
import Primitives
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

/// HTTP Range headers against lengths from 0 to 2^40: a served range lies inside the file.
enum ByteRangeHarness {
    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 5 else { return }
        let length = bytes.prefix(5).reduce(0) { $0 << 8 | Int($1) }
        switch ByteRangeRequest(header: String(decoding: bytes.dropFirst(5), as: UTF8.self), length: length) {
        case .part(let range):
            require(range.lowerBound >= 0 && range.upperBound <= length && !range.isEmpty, "\(range) of \(length)")
        case .whole, .unsatisfiable:
            break
        }
    }
}
