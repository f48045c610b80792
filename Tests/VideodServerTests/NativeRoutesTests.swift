import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest

/// The native REST API in process: streams, a real push, listings with page tokens, media, analysis
/// settings and events, and the native error shape.
final class NativeRoutesTests: XCTestCase {
    func testStreamsAreCreatedDescribedListedAndDeleted() async throws {
        try await InProcessServer.run { client in
            let created = try await client.execute(uri: "/streams/cam1", method: .put)
            XCTAssertEqual(created.status, .created)
            XCTAssertEqual(try created.json()["name"] as? String, "cam1")
            let again = try await client.execute(uri: "/streams/cam1", method: .put)
            XCTAssertEqual(again.status, .ok, "creating again is idempotent")
            let list = try await client.execute(uri: "/streams", method: .get).json()
            XCTAssertEqual((list["streams"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["cam1"])
            let described = try await client.execute(uri: "/streams/cam1", method: .get).json()
            XCTAssertEqual(described["fragmentCount"] as? Int, 0)
            XCTAssertEqual(described["ingesting"] as? Bool, false)

            let badName = try await client.execute(uri: "/streams/bad%20name", method: .get)
            XCTAssertEqual(badName.status, .badRequest)
            XCTAssertEqual(try badName.json()["error"] as? String, "InvalidStreamName")
            let missing = try await client.execute(uri: "/streams/nope", method: .get)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(try missing.json()["error"] as? String, "ResourceNotFound")

            let deleted = try await client.execute(uri: "/streams/cam1", method: .delete)
            XCTAssertEqual(deleted.status, .noContent)
            let gone = try await client.execute(uri: "/streams/cam1", method: .get)
            XCTAssertEqual(gone.status, .notFound)
        }
    }

    func testAPushIsListedPageByPageAndServedAsMedia() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 6)
        try await InProcessServer.run { client in
            let push = try await client.execute(uri: "/streams/cam2/ingest", method: .post,
                                                headers: [.contentType: "video/mp4"], body: ByteBuffer(bytes: clip))
            XCTAssertEqual(push.status, .ok, push.text)
            XCTAssertEqual(try push.json()["fragments"] as? Int, 3, "6 s in 2 s GOPs")

            // Two pages of two, then one; the token carries on where the page stopped.
            var numbers: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let query = "/streams/cam2/fragments?limit=2" + (next.map { "&next=\($0)" } ?? "")
                let page = try await client.execute(uri: query, method: .get).json()
                numbers += (page["fragments"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String }
                next = page["next"] as? String
                pages += 1
            } while next != nil && pages < 10
            XCTAssertEqual(pages, 2)
            XCTAssertEqual(numbers.count, 3)
            XCTAssertEqual(numbers, numbers.sorted { Int($0)! < Int($1)! })

            let fragment = try await client.execute(uri: "/streams/cam2/fragments/\(numbers[1])", method: .get)
            XCTAssertEqual(fragment.status, .ok)
            XCTAssertEqual(fragment.headers[.contentType], "video/mp4")
            XCTAssertEqual(Array(Data(buffer: fragment.body)[4..<8]), Array("ftyp".utf8), "an init segment first")

            let media = try await client.execute(uri: "/streams/cam2/media", method: .get)
            XCTAssertEqual(media.status, .ok)
            XCTAssertEqual(media.header("X-Videod-Fragments"), "3")
            XCTAssertNil(media.header("X-Videod-Truncated"))
            XCTAssertGreaterThan(media.body.readableBytes, fragment.body.readableBytes * 2)

            let badLimit = try await client.execute(uri: "/streams/cam2/fragments?limit=0", method: .get)
            XCTAssertEqual(badLimit.status, .badRequest)
            XCTAssertEqual(try badLimit.json()["error"] as? String, "InvalidArgument")
            let badToken = try await client.execute(uri: "/streams/cam2/fragments?next=garbage", method: .get)
            XCTAssertEqual(badToken.status, .badRequest)
            let empty = try await client.execute(uri: "/streams/cam2/media?start=1970-01-01T00:00:00Z&end=1970-01-01T00:00:01Z",
                                                 method: .get)
            XCTAssertEqual(empty.status, .notFound)
            let notFragment = try await client.execute(uri: "/streams/cam2/fragments/999999", method: .get)
            XCTAssertEqual(notFragment.status, .notFound)
        }
    }

    func testAnalysisSettingsAreCheckedStoredAndEventsRead() async throws {
        try await InProcessServer.run { client in
            _ = try await client.execute(uri: "/streams/cam3", method: .put)
            let unknown = try await client.execute(uri: "/streams/cam3/analysis", method: .put,
                                                   body: ByteBuffer(string: #"{"sensitivty": 0.7}"#))
            XCTAssertEqual(unknown.status, .badRequest)
            XCTAssertTrue(unknown.text.contains("sensitivty"), unknown.text)
            let set = try await client.execute(uri: "/streams/cam3/analysis", method: .put,
                                               body: ByteBuffer(string: #"{"sensitivity": 0.7, "dataStream": "cam3-events"}"#))
            XCTAssertEqual(set.status, .ok, set.text)
            let read = try await client.execute(uri: "/streams/cam3/analysis", method: .get).json()
            XCTAssertEqual((read["settings"] as? [String: Any])?["sensitivity"] as? Double, 0.7)
            // The data stream the settings name exists at once, for consumers to start reading.
            let described = try await client.kinesis("DescribeStreamSummary", #"{"StreamName": "cam3-events"}"#)
            XCTAssertEqual(described.status, .ok, described.text)
            let events = try await client.execute(uri: "/streams/cam3/events", method: .get)
            XCTAssertEqual(events.status, .ok)
            XCTAssertEqual((try events.json()["events"] as? [Any])?.count, 0)
        }
    }
}

extension NativeRoutesTests {
    /// Events come page by page (`limit`, `next`), skipping records of other streams and records
    /// that are not events.
    func testEventsArePagedThroughTheEventsStream() async throws {
        try await InProcessServer.run { client in
            _ = try await client.execute(uri: "/streams/cam", method: .put)
            func put(_ key: String, _ json: String) async throws {
                let data = Data(json.utf8).base64EncodedString()
                let put = try await client.kinesis("PutRecord", #"{"StreamName": "videod-events", "PartitionKey": "\#(key)", "Data": "\#(data)"}"#)
                XCTAssertEqual(put.status, .ok, put.text)
            }
            for i in 0..<5 {
                try await put("cam", #"{"eventId": "e\#(i)", "eventType": "MOTION_START", "streamName": "cam", "streamArn": "a", "producerTimestamp": 179571240\#(i), "producerTime": "t", "serverTimestamp": 1795712400, "serverTime": "t", "links": {"media": "m", "events": "e"}}"#)
                if i == 2 {
                    try await put("cam", #"{"not": "an event"}"#)
                    try await put("other", #"{"eventId": "x", "eventType": "MOTION_START", "streamName": "other", "streamArn": "a", "producerTimestamp": 1795712400, "producerTime": "t", "serverTimestamp": 1795712400, "serverTime": "t", "links": {"media": "m", "events": "e"}}"#)
                }
            }
            var ids: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let page = try await client.execute(uri: "/streams/cam/events?limit=2" + (next.map { "&next=\($0)" } ?? ""),
                                                    method: .get).json()
                ids += (page["events"] as? [[String: Any]] ?? []).compactMap { $0["eventId"] as? String }
                next = page["next"] as? String
                pages += 1
            } while next != nil && pages < 10
            XCTAssertEqual(ids, ["e0", "e1", "e2", "e3", "e4"])
            XCTAssertEqual(pages, 3)
            let bad = try await client.execute(uri: "/streams/cam/events?next=nonsense", method: .get)
            XCTAssertEqual(bad.status, .badRequest)
            let all = try await client.execute(uri: "/streams/cam/events", method: .get).json()
            XCTAssertEqual((all["events"] as? [Any])?.count, 5)
            XCTAssertNil(all["next"])
        }
    }
}
