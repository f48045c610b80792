import Foundation
import Primitives
import XCTest

final class Base64Tests: XCTestCase {
    func testBase64MatchesFoundationOnEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Array(Data(bytes).base64EncodedString().utf8)
            XCTAssertEqual(Base64.decode(text[...]), bytes, "length \(length)")
        }
        XCTAssertNil(Base64.decode(Array("ab$d".utf8)[...]))
    }

    func testBase64URLRoundTripsWithoutPaddingOrUnsafeCharacters() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 251) }
            let text = Base64URL.encode(bytes)
            XCTAssertFalse(text.contains { $0 == "+" || $0 == "/" || $0 == "=" }, text)
            XCTAssertEqual(Base64URL.decode(text).map { [UInt8]($0) }, bytes, "length \(length)")
        }
        XCTAssertNil(Base64URL.decode("a$b"))
    }
}
