import AWSProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest

/// `POST /` in CBOR 1.1, the Java SDKs' (and so KCL's) default: blobs are byte strings and
/// timestamps tag 1 epoch milliseconds, both ways.
final class KinesisCBORRoutesTests: XCTestCase {
    static func call(_ client: any TestClientProtocol, _ operation: String, _ members: AWSValue) async throws -> (TestResponse, AWSValue) {
        var headers: HTTPFields = [.contentType: "application/x-amz-cbor-1.1"]
        headers[HTTPField.Name("X-Amz-Target")!] = "Kinesis_20131202.\(operation)"
        let response = try await client.execute(uri: "/", method: .post, headers: headers,
                                                body: ByteBuffer(bytes: CBORWire.encode(members)))
        return (response, try CBORWire.decode(Data(buffer: response.body)))
    }

    func testBlobsAndTimestampsTravelAsCBORTypes() async throws {
        try await InProcessServer.run { client in
            _ = try await Self.call(client, "CreateStream", ["StreamName": "cb", "ShardCount": 1])
            let payload: [UInt8] = [0, 1, 2, 255]
            let (put, _) = try await Self.call(client, "PutRecord", ["StreamName": "cb", "PartitionKey": "k", "Data": .blob(payload)])
            XCTAssertEqual(put.status, .ok)
            XCTAssertEqual(put.headers[.contentType], "application/x-amz-cbor-1.1")
            let (_, iterator) = try await Self.call(client, "GetShardIterator",
                ["StreamName": "cb", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_TIMESTAMP",
                 "Timestamp": .timestamp((Int64(Date().timeIntervalSince1970) - 60) * 1_000_000)])
            let token = try XCTUnwrap(iterator["ShardIterator"]?.string)
            let (_, records) = try await Self.call(client, "GetRecords", ["ShardIterator": .string(token)])
            let record = try XCTUnwrap(records["Records"]?.array?.first)
            XCTAssertEqual(record["Data"]?.blob, payload)
            let arrival = try XCTUnwrap(record["ApproximateArrivalTimestamp"]?.timestamp)
            XCTAssertEqual(Double(arrival) / 1_000_000, Date().timeIntervalSince1970, accuracy: 60)
        }
    }

    func testErrorsAreCBORMaps() async throws {
        try await InProcessServer.run { client in
            let (response, error) = try await Self.call(client, "DescribeStream", ["StreamName": "nope"])
            XCTAssertEqual(response.status, .badRequest)
            XCTAssertEqual(response.header("x-amzn-ErrorType"), "ResourceNotFoundException")
            XCTAssertEqual(error["__type"]?.string, "ResourceNotFoundException")
        }
    }
}
