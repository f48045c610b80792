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

    /// The byte-level decoder agrees with Foundation's decoding of the same text (alphabet swapped,
    /// padded) on random texts of the alphabet, and is stricter where Foundation is lenient
    /// (padding in the middle, a lone "=").
    func testBase64URLDecodesAsFoundationDoesAndNoLooser() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let text = String((0..<Int.random(in: 0...13, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while standard.count % 4 != 0 { standard += "=" }
            XCTAssertEqual(Base64URL.decode(text), Data(base64Encoded: standard), text)
        }
        for refused in ["=", "Fn=N", "ab=cd", "abcde", "ab.c", "a b"] {
            XCTAssertNil(Base64URL.decode(refused), refused)
        }
        XCTAssertEqual(Base64URL.decode("YQ=="), Data("a".utf8))
    }
}
