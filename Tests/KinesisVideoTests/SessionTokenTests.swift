@testable import KinesisVideo
import XCTest

/// HLS session tokens: what a server signs it opens again; anything else (tampered, signed with
/// another key, truncated) is refused.
final class SessionTokenTests: XCTestCase {
    let session = StreamingSession(streamID: 7, mode: .onDemand, kind: .producer, start: 1_796_000_000_000_000,
                                   end: 1_796_000_060_000_999, maxFragments: 1000, discontinuities: .onDiscontinuity,
                                   showsProgramDateTime: true, createdAt: 1_796_000_100_000_000,
                                   expiresAt: 1_796_000_400_000_000, liveBase: nil)

    func testASignedSessionOpensAgain() {
        let token = SessionToken(key: Array(repeating: 1, count: 32))
        let signed = token.sign(session)
        XCTAssertEqual(token.open(signed), session)
        XCTAssertTrue(signed.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }, "safe in a URL query as is")
        var live = session
        (live.mode, live.start, live.end, live.liveBase) = (.live, nil, nil, 42)
        XCTAssertEqual(token.open(token.sign(live)), live)
        var numbered = session
        numbered.showsFragmentNumbers = true
        XCTAssertEqual(token.open(token.sign(numbered)), numbered)
    }

    func testASessionEncodedBeforeFragmentNumbersStillDecodes() {
        // 13 fields, as tokens were issued before DASH's DisplayFragmentNumber was kept.
        let old = session.encoded.split(separator: ":", omittingEmptySubsequences: false).dropLast().joined(separator: ":")
        XCTAssertEqual(StreamingSession(encoded: old), session)
        XCTAssertNil(StreamingSession(encoded: old + ":1:extra"))
    }

    func testTamperedOrForeignTokensAreRefused() {
        let token = SessionToken(key: Array(repeating: 1, count: 32))
        let signed = token.sign(session)
        XCTAssertNil(SessionToken(key: Array(repeating: 2, count: 32)).open(signed))
        // Another stream in the payload, the same signature.
        var other = session
        other.streamID = 8
        let forgedPayload = token.sign(other).split(separator: ".")[0] + "." + signed.split(separator: ".")[1]
        XCTAssertNil(token.open(String(forgedPayload)))
        XCTAssertNil(token.open(String(signed.dropLast())))
        XCTAssertNil(token.open(""))
        XCTAssertNil(token.open(signed + "." + signed))
        XCTAssertNil(token.open(String(repeating: "A", count: 5000)))
    }
}
