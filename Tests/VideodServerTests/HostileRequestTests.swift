import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

/// Requests that once stopped the whole process (a Swift trap): each now gets its protocol's
/// error, and the server goes on serving.
final class HostileRequestTests: XCTestCase {
    func testOutOfRangeKinesisNumbersAreInvalidArguments() async throws {
        try await InProcessServer.run { client in
            _ = try await client.kinesis("CreateStream", #"{"StreamName": "h", "ShardCount": 1}"#)
            let after = try await client.kinesis("GetShardIterator", #"""
                {"StreamName": "h", "ShardId": "shardId-000000000000", "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                 "StartingSequenceNumber": "4900000009223372036854775807"}
                """#)
            XCTAssertEqual(after.header("x-amzn-ErrorType"), "InvalidArgumentException", after.text)
            for timestamp in ["1e300", "-1e300"] {
                let at = try await client.kinesis("GetShardIterator", #"""
                    {"StreamName": "h", "ShardId": "shardId-000000000000", "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": \#(timestamp)}
                    """#)
                XCTAssertEqual(at.header("x-amzn-ErrorType"), "InvalidArgumentException", at.text)
            }
            let resume = try await client.execute(uri: "/datastreams/h/events?after=4900000009223372036854775807", method: .get)
            XCTAssertEqual(resume.status, .badRequest)
            let alive = try await client.kinesis("ListStreams", "{}")
            XCTAssertEqual(alive.status, .ok)
        }
    }

    func testAnEventRecordWithAnImpossibleTimeIsSkipped() async throws {
        try await InProcessServer.run { client in
            _ = try await client.execute(uri: "/streams/cam", method: .put)
            // Anyone may write into the events stream; a record whose time is no time must not
            // break every later read of the stream's events.
            for time in ["1e300", "1795712400.5"] {
                let event = #"{"eventId": "x\#(time)", "eventType": "MOTION_START", "streamName": "cam", "streamArn": "a", "producerTimestamp": \#(time), "producerTime": "t", "serverTimestamp": 1795712400.5, "serverTime": "t", "links": {"media": "m", "events": "e"}}"#
                let put = try await client.kinesis("PutRecord", #"{"StreamName": "videod-events", "PartitionKey": "cam", "Data": "\#(Data(event.utf8).base64EncodedString())"}"#)
                XCTAssertEqual(put.status, .ok, put.text)
            }
            let events = try await client.execute(uri: "/streams/cam/events", method: .get)
            XCTAssertEqual(events.status, .ok, events.text)
            XCTAssertEqual((try events.json()["events"] as? [[String: Any]])?.compactMap { $0["eventId"] as? String },
                           ["x1795712400.5"])
        }
    }

    func testAFragmentPastTheSizeLimitEndsThePushWithMalformedMedia() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 6)
        try await InProcessServer.run(configure: { $0.maxFragmentBytes = 2000 }) { client in
            let push = try await client.execute(uri: "/streams/huge/ingest", method: .post,
                                                headers: [.contentType: "video/mp4"], body: ByteBuffer(bytes: clip))
            XCTAssertEqual(push.status, .badRequest, push.text)
            XCTAssertEqual(try push.json()["error"] as? String, "MalformedMedia")
            XCTAssertTrue(push.text.contains("grew past"), push.text)
            // The slot is free again: a push within the limit of another server would go through.
            let described = try await client.execute(uri: "/streams/huge", method: .get)
            XCTAssertNotEqual(try? described.json()["ingesting"] as? Bool, true)
        }
    }

    func testPastTheAnalyserCapAPushIsStoredButNotAnalysed() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 4)
        try await InProcessServer.run(configure: { $0.maxAnalysedStreams = 0 }) { client in
            let push = try await client.execute(uri: "/streams/busy/ingest", method: .post,
                                                headers: [.contentType: "video/mp4"], body: ByteBuffer(bytes: clip))
            XCTAssertEqual(push.status, .ok, push.text)
            let stream = try await client.execute(uri: "/streams/busy", method: .get).json()
            XCTAssertEqual(stream["fragmentCount"] as? Int, 2)
            let status = (stream["analysis"] as? [String: Any])?["status"] as? [String: Any]
            XCTAssertTrue((status?["lastError"] as? String)?.contains("--max-analysed-streams") == true, "\(stream)")
        }
    }

    func testAProducerStartOutsideTheValidRangeIsRefusedBeforeAnyMedia() async throws {
        try await InProcessServer.run { client in
            var headers: HTTPFields = [.contentType: "video/mp4"]
            headers[HTTPField.Name("X-Producer-Start-Timestamp")!] = "9223372036854.775"
            let push = try await client.execute(uri: "/streams/far/ingest", method: .post, headers: headers,
                                                body: ByteBuffer(bytes: [0, 0, 0, 0]))
            XCTAssertEqual(push.status, .badRequest)
            XCTAssertEqual(try push.json()["error"] as? String, "InvalidArgument")
            let settings = try await client.execute(uri: "/streams/far", method: .put,
                                                    body: ByteBuffer(string: #"{"analysis": {"frameRate": 1e-300}}"#))
            XCTAssertEqual(settings.status, .badRequest)
        }
    }
}
