import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

/// Kinesis Video's REST-JSON routes in process: paths, typed members, the error shape, SigV4.
final class KinesisVideoRoutesTests: XCTestCase {
    static func call(_ client: any TestClientProtocol, _ path: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var all: HTTPFields = [.contentType: "application/json"]
        all.append(contentsOf: headers)
        return try await client.execute(uri: path, method: .post, headers: all, body: ByteBuffer(string: body))
    }

    func testControlPlaneRoundTripAndErrorShape() async throws {
        try await InProcessServer.run { client in
            let created = try await Self.call(client, "/createStream", #"{"StreamName": "cam", "DataRetentionInHours": 2}"#)
            XCTAssertEqual(created.status, .ok, created.text)
            XCTAssertEqual(created.headers[.contentType], "application/json")
            let arn = try XCTUnwrap(try created.json()["StreamARN"] as? String)
            let described = try await Self.call(client, "/describeStream", #"{"StreamARN": "\#(arn)"}"#).json()
            let info = try XCTUnwrap(described["StreamInfo"] as? [String: Any])
            XCTAssertEqual(info["DataRetentionInHours"] as? Int, 2)
            XCTAssertEqual(try XCTUnwrap(info["CreationTime"] as? Double), Date().timeIntervalSince1970, accuracy: 60,
                           "a timestamp is epoch seconds")
            // The three resource-tag operations keep their capital letter.
            let tagged = try await Self.call(client, "/TagResource", #"{"ResourceARN": "\#(arn)", "Tags": [{"Key": "k", "Value": "v"}]}"#)
            XCTAssertEqual(tagged.status, .ok, tagged.text)

            let missing = try await Self.call(client, "/describeStream", #"{"StreamName": "nope"}"#)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(missing.header("x-amzn-ErrorType"), "ResourceNotFoundException")
            XCTAssertNotNil(missing.header("x-amzn-RequestId"))
            let body = try missing.json()
            XCTAssertEqual(body["__type"] as? String, "ResourceNotFoundException")
            XCTAssertEqual(body["Message"] as? String, body["message"] as? String)
            let malformed = try await Self.call(client, "/listStreams", "{nope")
            XCTAssertEqual(malformed.header("x-amzn-ErrorType"), "SerializationException")
            let cloud = try await Self.call(client, "/createSignalingChannel", "{}")
            XCTAssertEqual(cloud.status, .notImplemented)
            XCTAssertTrue(cloud.text.contains("CreateSignalingChannel"), cloud.text)
        }
    }

    func testListFragmentsSelectsByStartInclusiveAndPages() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 6)
        try await InProcessServer.run { client in
            let push = try await client.execute(uri: "/streams/cam/ingest", method: .post, headers: [.contentType: "video/mp4"],
                                                body: ByteBuffer(bytes: clip))
            XCTAssertEqual(push.status, .ok)
            let native = try await client.execute(uri: "/streams/cam/fragments", method: .get).json()
            let starts = (native["fragments"] as? [[String: Any]] ?? []).compactMap { $0["serverTimestamp"] as? Double }
            XCTAssertEqual(starts.count, 3)
            func list(_ body: String) async throws -> [String: Any] {
                try await Self.call(client, "/listFragments", body).json()
            }
            let selector = #"{"FragmentSelectorType": "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": \#(starts[0]), "EndTimestamp": \#(starts[2])}}"#
            let first = try await list(#"{"StreamName": "cam", "MaxResults": 2, "FragmentSelector": \#(selector)}"#)
            XCTAssertEqual((first["Fragments"] as? [Any])?.count, 2)
            let token = try XCTUnwrap(first["NextToken"] as? String)
            XCTAssertTrue(token.allSatisfy { $0.isLetter || $0.isNumber || "+/=".contains($0) }, "the model's base64 pattern")
            let rest = try await list(#"{"StreamName": "cam", "NextToken": "\#(token)"}"#)
            XCTAssertEqual((rest["Fragments"] as? [Any])?.count, 1)
            XCTAssertNil(rest["NextToken"])
            let bad = try await Self.call(client, "/listFragments", #"{"StreamName": "cam", "NextToken": "garbage"}"#)
            XCTAssertEqual(bad.header("x-amzn-ErrorType"), "InvalidArgumentException")
        }
    }

    func testSignaturesAreCheckedOverTheBody() async throws {
        try await InProcessServer.run(keys: AuthenticationTests.keys) { client in
            let body = Array(#"{"StreamName": "signed"}"#.utf8)
            let unsigned = try await Self.call(client, "/createStream", String(decoding: body, as: UTF8.self))
            XCTAssertEqual(unsigned.status, .forbidden)
            XCTAssertEqual(unsigned.header("x-amzn-ErrorType"), "MissingAuthenticationTokenException")
            let signed = try await Self.call(client, "/createStream", String(decoding: body, as: UTF8.self),
                                             headers: AuthenticationTests.signed("POST", "/createStream", body: body))
            XCTAssertEqual(signed.status, .ok, signed.text)
            let other = try await Self.call(client, "/createStream", #"{"StreamName": "forged"}"#,
                                            headers: AuthenticationTests.signed("POST", "/createStream", body: body))
            XCTAssertEqual(other.header("x-amzn-ErrorType"), "InvalidSignatureException")
        }
    }
}
