import Foundation
import XCTest
import AWSProtocol
import DataStreams
@testable import KDSAPI

/// The PutRecords fast path: the usual request shape decodes into typed records; anything else is
/// left to the general reader (nil), so that it gets exactly the general path's errors.
final class PutRecordsJSONTests: XCTestCase {
    private func decode(_ text: String) -> PutRecordsInput? {
        PutRecordsJSON.decode(Array(text.utf8))
    }

    func testTheUsualShapeDecodesInOrder() throws {
        let input = try XCTUnwrap(decode("""
            { "StreamName" : "s", "Records": [ {"Data":"AP8=","PartitionKey":"k1"},
              {"PartitionKey":"k\\u00e9","ExplicitHashKey":"42","Data":""} ] }
            """))
        XCTAssertEqual(input.stream.values, ["StreamName": .string("s")])
        XCTAssertEqual(input.records.map(\.data), [[0, 255], []])
        XCTAssertEqual(input.records.map(\.partitionKey), ["k1", "ké"])
        XCTAssertEqual(input.records.map(\.explicitHashKey), [nil, "42"])
    }

    func testAnythingUnusualIsLeftToTheGeneralReader() {
        for text in [
            #"{"StreamName":"s","Records":[{"Data":"AP8=","PartitionKey":"k"}],"Extra":1}"#,   // unknown member
            #"{"StreamName":"s","Records":[{"Data":"AP8=","PartitionKey":7}]}"#,               // wrong type
            #"{"StreamName":"s","Records":[{"Data":"AP\/8","PartitionKey":"k"}]}"#,            // escape in base64
            #"{"StreamName":"s","Records":[{"Data":"AP8","PartitionKey":"k"}]}"#,              // not whole groups
            #"{"StreamName":"s","Records":[{"Data":"A=P8","PartitionKey":"k"}]}"#,             // padding inside
            #"{"StreamName":"s","Records":[{"PartitionKey":"k"}]}"#,                           // no Data
            #"{"StreamName":"s","Records":[null]}"#,
            #"{"StreamName":"s"}"#,                                                            // no Records
            #"{"StreamName":"s","Records":[{"Data":"AP8=","PartitionKey":"k"}]} x"#,           // trailing bytes
            #"{"StreamName":"s","Records":[{"Data":"AP8=","PartitionKey":"k"},]}"#,            // malformed
            "",
        ] {
            XCTAssertNil(decode(text), text)
        }
    }

    func testTheReplyIsWhatTheGeneralWriterWouldSay() throws {
        let output = PutRecordsOutput(failedRecordCount: 1, records: [
            .stored(shardID: "shardId-000000000000", sequenceNumber: "49590338271490256608559692538361571095921575989136588898"),
            .failed(code: "ProvisionedThroughputExceededException", message: "Rate exceeded for \"s\""),
        ])
        let parsed = try JSONReader.parse(Data(PutRecordsJSON.encode(output)))
        XCTAssertEqual(parsed, AWSValue.object([
            "EncryptionType": .string("NONE"),
            "FailedRecordCount": .int(1),
            "Records": .array([
                .object(["ShardId": .string("shardId-000000000000"),
                         "SequenceNumber": .string("49590338271490256608559692538361571095921575989136588898")]),
                .object(["ErrorCode": .string("ProvisionedThroughputExceededException"),
                         "ErrorMessage": .string("Rate exceeded for \"s\"")]),
            ]),
        ]))
    }
}
