import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest

/// `POST /` in JSON 1.1, routed by X-Amz-Target, as boto3 and the aws CLI speak it.
final class KinesisJSONRoutesTests: XCTestCase {
    func testRecordsGoInAndComeBackWithTypedMembers() async throws {
        try await InProcessServer.run { client in
            let created = try await client.kinesis("CreateStream", #"{"StreamName": "ev", "ShardCount": 1}"#)
            XCTAssertEqual(created.status, .ok)
            let before = Date().timeIntervalSince1970
            let put = try await client.kinesis("PutRecord", #"{"StreamName": "ev", "PartitionKey": "k", "Data": "aGVsbG8="}"#)
            XCTAssertEqual(put.status, .ok, put.text)
            XCTAssertEqual(put.headers[.contentType], "application/x-amz-json-1.1")
            XCTAssertNotNil(put.header("x-amzn-RequestId"))
            let sequence = try XCTUnwrap(try put.json()["SequenceNumber"] as? String)
            // PutRecords' fast path answers in the same shape.
            let batch = try await client.kinesis("PutRecords",
                                                 #"{"StreamName": "ev", "Records": [{"Data": "d29ybGQ=", "PartitionKey": "k"}]}"#)
            let entries = try XCTUnwrap(try batch.json()["Records"] as? [[String: Any]])
            XCTAssertEqual(try batch.json()["FailedRecordCount"] as? Int, 0)
            XCTAssertGreaterThan(try XCTUnwrap(entries.first?["SequenceNumber"] as? String), sequence)

            let iterator = try await client.kinesis("GetShardIterator",
                #"{"StreamName": "ev", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}"#)
            let token = try XCTUnwrap(try iterator.json()["ShardIterator"] as? String)
            let records = try await client.kinesis("GetRecords", #"{"ShardIterator": "\#(token)"}"#).json()
            let got = try XCTUnwrap(records["Records"] as? [[String: Any]])
            // A blob is base64 text, a timestamp epoch seconds: the JSON protocol's types.
            XCTAssertEqual(got.compactMap { $0["Data"] as? String }, ["aGVsbG8=", "d29ybGQ="])
            XCTAssertEqual(got.first?["SequenceNumber"] as? String, sequence)
            let arrival = try XCTUnwrap(got.first?["ApproximateArrivalTimestamp"] as? Double)
            XCTAssertEqual(arrival, before, accuracy: 60)

            let described = try await client.kinesis("DescribeStreamSummary", #"{"StreamName": "ev"}"#).json()
            let summary = try XCTUnwrap(described["StreamDescriptionSummary"] as? [String: Any])
            XCTAssertEqual(summary["StreamARN"] as? String, "arn:aws:kinesis:us-east-1:000000000000:stream/ev")
            XCTAssertEqual(try XCTUnwrap(summary["StreamCreationTimestamp"] as? Double), before, accuracy: 60)
        }
    }

    func testErrorsHaveAWSShape() async throws {
        try await InProcessServer.run { client in
            func expect(_ response: TestResponse, _ code: String, status: HTTPResponse.Status = .badRequest) throws {
                XCTAssertEqual(response.status, status, response.text)
                XCTAssertEqual(response.header("x-amzn-ErrorType"), code)
                XCTAssertEqual(try response.json()["__type"] as? String, code)
                XCTAssertNotNil(try response.json()["message"] as? String)
            }
            try expect(try await client.kinesis("DescribeStream", #"{"StreamName": "nope"}"#), "ResourceNotFoundException")
            try expect(try await client.kinesis("NoSuchOperation", "{}"), "UnknownOperationException")
            try expect(try await client.kinesis("ListStreams", "{not json"), "SerializationException")
            try expect(try await client.kinesis("ListStreams", "[1]"), "SerializationException")
            try expect(try await client.kinesis("CreateStream", #"{"StreamName": "bad name", "ShardCount": 1}"#), "ValidationException")
            try expect(try await client.kinesis("SplitShard", "{}"), "NotImplemented", status: .notImplemented)
            // Bodies are capped at what the operation can carry: 1 MiB, or 16 MiB for records.
            try expect(try await client.kinesis("ListStreams", "{}" + String(repeating: " ", count: 1 << 20)), "InvalidArgumentException")
            let records = try await client.kinesis("PutRecords", #"{"StreamName": "none", "Records": []}"# + String(repeating: " ", count: 2 << 20))
            XCTAssertEqual(records.header("x-amzn-ErrorType"), "ResourceNotFoundException", "a 2 MiB PutRecords body is read")
            let wrongTarget = try await client.execute(uri: "/", method: .post, headers: [.contentType: "application/x-amz-json-1.1"],
                                                       body: ByteBuffer(string: "{}"))
            try expect(wrongTarget, "UnknownOperationException")
        }
    }
}
