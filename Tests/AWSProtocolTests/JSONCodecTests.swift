import Foundation
import XCTest
@testable import AWSProtocol

final class JSONCodecTests: XCTestCase {
    func testReadsWhatFoundationWrites() throws {
        let text = #"{"a":[1,-2,3.5,1e3,true,false,null],"s":"q\"\\\/\n\u00e9\ud83d\ude00","o":{}}"#
        XCTAssertEqual(try JSONReader.parse(Data(text.utf8)), .object([
            "a": .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]),
            "s": .string("q\"\\/\né😀"),
            "o": .object([:]),
        ]))
    }

    func testRejectsMalformedAndTooDeepInput() {
        for bad in ["", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"\u{01}\"", "tru", "[1] x", "\"\\ud800\"",
                    String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)] {
            XCTAssertThrowsError(try JSONReader.parse(Data(bad.utf8)), bad)
        }
        XCTAssertThrowsError(try JSONReader.parse(Data([0x22, 0xFF, 0x22])), "a string that is not UTF-8")
    }

    func testWriterRoundTripsThroughFoundation() throws {
        let value: AWSValue = ["n": 3, "d": .double(1_795_712_400.123), "b": true, "s": "tab\there \"q\"",
                               "blob": .blob([0, 255]), "list": [1, "x"]]
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(JSONWriter.encode(value))) as? [String: Any])
        XCTAssertEqual(parsed["s"] as? String, "tab\there \"q\"")
        XCTAssertEqual(parsed["blob"] as? String, "AP8=")
        XCTAssertEqual((parsed["d"] as? NSNumber)?.doubleValue ?? (parsed["d"] as? Double) ?? 0, 1_795_712_400.123, accuracy: 1e-6)
        XCTAssertEqual(parsed["b"] as? Bool, true)
    }
}
