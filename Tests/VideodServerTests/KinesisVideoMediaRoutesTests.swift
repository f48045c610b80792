import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

/// GetMedia, GetMediaForFragmentList and PutMedia's refusals in process: the media type, one
/// Matroska document per fragment, and AWS's error shape before any media.
final class KinesisVideoMediaRoutesTests: XCTestCase {
    static let ebmlHeader: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]

    static func documents(_ body: ByteBuffer) -> Int {
        let bytes = Array(body.readableBytesView)
        return bytes.indices.filter { bytes[$0...].starts(with: ebmlHeader) }.count
    }

    func testStoredFragmentsComeBackAsOneMatroskaDocumentEach() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 6)
        try await InProcessServer.run { client in
            let push = try await client.execute(uri: "/streams/cam/ingest", method: .post, headers: [.contentType: "video/mp4"],
                                                body: ByteBuffer(bytes: clip))
            XCTAssertEqual(push.status, .ok)
            let native = try await client.execute(uri: "/streams/cam/fragments", method: .get).json()
            let numbers = (native["fragments"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
            XCTAssertEqual(numbers.count, 3)

            let list = try await KinesisVideoRoutesTests.call(
                client, "/getMediaForFragmentList", #"{"StreamName": "cam", "Fragments": ["\#(numbers[2])", "\#(numbers[0])"]}"#)
            XCTAssertEqual(list.status, .ok)
            XCTAssertEqual(list.headers[.contentType], "video/webm")
            XCTAssertEqual(Array(list.body.readableBytesView.prefix(4)), Self.ebmlHeader)
            XCTAssertEqual(Self.documents(list.body), 2)
            XCTAssertTrue(list.body.readableBytesView.firstRange(of: Array("AWS_KINESISVIDEO_PRODUCER_TIMESTAMP".utf8)) != nil)

            // Nothing is pushing: GetMedia replays, then ends a few seconds after catching up.
            let media = try await KinesisVideoRoutesTests.call(
                client, "/getMedia", #"{"StreamName": "cam", "StartSelector": {"StartSelectorType": "FRAGMENT_NUMBER", "AfterFragmentNumber": "\#(numbers[0])"}}"#)
            XCTAssertEqual(media.status, .ok)
            XCTAssertEqual(Self.documents(media.body), 2)
            XCTAssertTrue(media.body.readableBytesView.firstRange(of: Array("AWS_KINESISVIDEO_CONTINUATION_TOKEN".utf8)) != nil)
        }
    }

    func testRefusalsComeBeforeAnyMediaInAWSShape() async throws {
        try await InProcessServer.run { client in
            let missing = try await KinesisVideoRoutesTests.call(client, "/getMedia", #"{"StreamName": "nope", "StartSelector": {"StartSelectorType": "NOW"}}"#)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(missing.header("x-amzn-ErrorType"), "ResourceNotFoundException")
            _ = try await KinesisVideoRoutesTests.call(client, "/createStream", #"{"StreamName": "cam"}"#)
            let noSelector = try await KinesisVideoRoutesTests.call(client, "/getMedia", #"{"StreamName": "cam"}"#)
            XCTAssertEqual(noSelector.header("x-amzn-ErrorType"), "InvalidArgumentException")
            let unknownFragment = try await KinesisVideoRoutesTests.call(client, "/getMediaForFragmentList", #"{"StreamName": "cam", "Fragments": ["123456789"]}"#)
            XCTAssertEqual(unknownFragment.status, .notFound)

            var headers: HTTPFields = [:]
            headers[HTTPField.Name("x-amzn-stream-name")!] = "cam"
            let noTimecodeType = try await client.execute(uri: "/putMedia", method: .post, headers: headers, body: ByteBuffer(bytes: Self.ebmlHeader))
            XCTAssertEqual(noTimecodeType.status, .badRequest)
            XCTAssertEqual(noTimecodeType.header("x-amzn-ErrorType"), "InvalidArgumentException")
            headers[HTTPField.Name("x-amzn-stream-name")!] = "elsewhere"
            headers[HTTPField.Name("x-amzn-fragment-timecode-type")!] = "RELATIVE"
            let unknownStream = try await client.execute(uri: "/putMedia", method: .post, headers: headers, body: ByteBuffer(bytes: Self.ebmlHeader))
            XCTAssertEqual(unknownStream.status, .notFound)
            XCTAssertEqual(unknownStream.header("x-amzn-ErrorType"), "ResourceNotFoundException")
        }
    }
}
