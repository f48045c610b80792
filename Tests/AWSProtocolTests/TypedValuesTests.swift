import Foundation
import XCTest
@testable import AWSProtocol

/// Blobs and timestamps are their own kinds of value, and each encoding writes them its own way.
final class TypedValuesTests: XCTestCase {
    func testJSONWritesTimestampsAsExactEpochSecondsAndBlobsAsBase64() throws {
        let value: AWSValue = ["t": .timestamp(1_795_712_400_250_000), "whole": .timestamp(1_795_712_400_000_000),
                               "micro": .timestamp(1_795_712_400_000_001), "before": .timestamp(-1_500_000),
                               "blob": .blob(Array("hi".utf8))]
        let text = String(decoding: JSONWriter.encode(value), as: UTF8.self)
        for expected in [#""t":1795712400.25"#, #""whole":1795712400"#, #""micro":1795712400.000001"#,
                         #""before":-1.5"#, #""blob":"aGk=""#] {
            XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
        }
    }

    func testCBORCarriesTimestampsAsTagOneMillisecondsAndBlobsAsByteStrings() throws {
        let value: AWSValue = ["t": .timestamp(1_795_712_400_250_000), "b": .blob([0, 255]), "d": .double(0.5)]
        let bytes = CBORWire.encode(value)
        // Tag 1 (0xC1) around the unsigned integer 1795712400250 (0x1B, eight bytes).
        let millis: [UInt8] = [0xC1, 0x1B] + withUnsafeBytes(of: UInt64(1_795_712_400_250).bigEndian, Array.init)
        XCTAssertNotNil(bytes.firstRange(of: millis))
        XCTAssertNotNil(bytes.firstRange(of: [0x42, 0x00, 0xFF]), "a two-byte byte string")
        XCTAssertEqual(try CBORWire.decode(Data(bytes)), value, "and back")
    }

    func testCBORTimestampsOutOfRangeAreRefusedNotTrapped() {
        // Tag 1 around the largest float64 and around a huge integer count of milliseconds.
        let hugeDouble: [UInt8] = [0xC1, 0xFB, 0x7F, 0xEF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        let hugeInt: [UInt8] = [0xC1, 0x1B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertThrowsError(try CBORWire.decode(Data(hugeDouble)))
        XCTAssertThrowsError(try CBORWire.decode(Data(hugeInt)))
    }

    func testRequestMembersReadTimestampsFromEitherEncoding() throws {
        let json = try XCTUnwrap(JSONReader.parse(Data(#"{"Timestamp": 1795712400.25}"#.utf8)).objectMembers)
        XCTAssertEqual(try RequestMembers(values: json).timestampMillis("Timestamp"), 1_795_712_400_250)
        let cbor = RequestMembers(values: ["Timestamp": .timestamp(1_795_712_400_250_000)])
        XCTAssertEqual(try cbor.timestampMillis("Timestamp"), 1_795_712_400_250)
        XCTAssertThrowsError(try RequestMembers(values: ["Timestamp": "soon"]).timestampMillis("Timestamp"))
    }
}

private extension AWSValue {
    var objectMembers: [String: AWSValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
