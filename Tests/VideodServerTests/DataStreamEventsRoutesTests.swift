import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import XCTest

/// `GET /datastreams/{name}/events`: a data stream followed as Server-Sent Events.
final class DataStreamEventsRoutesTests: XCTestCase {
    /// Follows the stream for a moment, then leaves (the stream itself never ends).
    static func follow(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        let following = Task { try await client.execute(uri: uri, method: .get, headers: headers) }
        try await Task.sleep(nanoseconds: 700_000_000)
        following.cancel()
        return try await following.value
    }

    func testRecordsArriveAsEventsAndResumeAfterTheirCursor() async throws {
        try await InProcessServer.run { client in
            _ = try await client.kinesis("CreateStream", #"{"StreamName": "sse", "ShardCount": 2}"#)
            for (index, key) in ["a", "b", "c"].enumerated() {
                let data = Data("{\"n\":\(index)}".utf8).base64EncodedString()
                _ = try await client.kinesis("PutRecord", #"{"StreamName": "sse", "PartitionKey": "\#(key)", "Data": "\#(data)"}"#)
            }
            let all = try await Self.follow(client, "/datastreams/sse/events?from=trim_horizon")
            XCTAssertEqual(all.status, .ok)
            XCTAssertEqual(all.headers[.contentType], "text/event-stream")
            let events = all.text.components(separatedBy: "\n\n").filter { $0.contains("event: record") }
            XCTAssertEqual(events.count, 3, all.text)
            // JSON data comes inline. Across shards the order is by arrival to the millisecond, and
            // records put within one millisecond on different shards have no order (as in KDS).
            for n in 0..<3 {
                XCTAssertEqual(events.filter { $0.contains(#""data":{"n":\#(n)}"#) }.count, 1, all.text)
            }

            let firstID = try XCTUnwrap(events[0].split(separator: "\n").first { $0.hasPrefix("id: ") }).dropFirst(4)
            var headers = HTTPFields()
            headers[HTTPField.Name("Last-Event-ID")!] = String(firstID)
            let resumed = try await Self.follow(client, "/datastreams/sse/events", headers: headers)
            let after = resumed.text.components(separatedBy: "\n\n").filter { $0.contains("event: record") }
            XCTAssertEqual(after.count, 2, resumed.text)
            // Everything but the first delivered record comes again.
            let firstData = try XCTUnwrap(events[0].split(separator: "\n").first { $0.hasPrefix("data: ") })
            XCTAssertFalse(resumed.text.contains(firstData), resumed.text)
        }
    }

    func testUnknownStreamsAndBadCursorsAreRefused() async throws {
        try await InProcessServer.run { client in
            let missing = try await client.execute(uri: "/datastreams/none/events", method: .get)
            XCTAssertEqual(missing.status, .notFound)
            XCTAssertEqual(try missing.json()["error"] as? String, "ResourceNotFound")
            _ = try await client.kinesis("CreateStream", #"{"StreamName": "sse2", "ShardCount": 1}"#)
            let bad = try await client.execute(uri: "/datastreams/sse2/events?after=nonsense", method: .get)
            XCTAssertEqual(bad.status, .badRequest)
        }
    }
}
