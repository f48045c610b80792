import AWSProtocol
import Foundation
import TestSupport
import XCTest
@testable import DataStreams

final class DataStreamServiceTests: XCTestCase {
    var directory: TemporaryDirectory!
    var path: String!
    var clock: TestClock!
    var service: DataStreamService!

    override func setUpWithError() throws {
        directory = TemporaryDirectory("kds")
        path = directory.file("datastreams.sqlite")
        clock = TestClock()
        service = try DataStreamService(log: SQLiteRecordLog(path: path), clock: clock.millis)
    }

    override func tearDownWithError() throws {
        directory.remove()
    }

    func call(_ op: String, _ args: [String: Any]) throws -> [String: Any] {
        try service.handle(op, RequestMembers(args)).plain as! [String: Any]
    }

    func iterator(_ type: String, shard: String = "shardId-000000000000", _ extra: [String: Any] = [:]) throws -> String {
        try call("GetShardIterator", ["StreamName": "ev", "ShardId": shard, "ShardIteratorType": type].merging(extra) { a, _ in a })["ShardIterator"] as! String
    }

    func records(_ it: String, limit: Int? = nil) throws -> ([String], String?) {
        var args: [String: Any] = ["ShardIterator": it]
        if let limit { args["Limit"] = limit }
        let out = try call("GetRecords", args)
        let data = (out["Records"] as! [[String: Any]]).map { String(decoding: $0["Data"] as! Data, as: UTF8.self) }
        return (data, out["NextShardIterator"] as? String)
    }

    func put(_ text: String, key: String = "k") throws -> String {
        try call("PutRecord", ["StreamName": "ev", "PartitionKey": key, "Data": Data(text.utf8).base64EncodedString()])["SequenceNumber"] as! String
    }

    func testIteratorTypesAndOrdering() throws {
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 1])
        let s1 = try put("one"), s2 = try put("two")
        XCTAssertLessThan(s1, s2)
        XCTAssertEqual(try records(iterator("TRIM_HORIZON")).0, ["one", "two"])
        XCTAssertEqual(try records(iterator("AT_SEQUENCE_NUMBER", ["StartingSequenceNumber": s2])).0, ["two"])
        XCTAssertEqual(try records(iterator("AFTER_SEQUENCE_NUMBER", ["StartingSequenceNumber": s1])).0, ["two"])
        let latest = try iterator("LATEST")
        XCTAssertEqual(try records(latest).0, [])
        clock.advance(milliseconds: 2000)
        let t = Double(clock.millis()) / 1000
        _ = try put("three")
        let (after, next) = try records(latest)
        XCTAssertEqual(after, ["three"])
        XCTAssertEqual(try records(next!).0, [], "the next iterator continues after what was read")
        XCTAssertEqual(try records(iterator("AT_TIMESTAMP", ["Timestamp": t])).0, ["three"])
        XCTAssertEqual(try records(iterator("TRIM_HORIZON"), limit: 2).0, ["one", "two"])
    }

    func testIteratorsExpireAfterFiveMinutes() throws {
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 1])
        let it = try iterator("TRIM_HORIZON")
        clock.advance(milliseconds: ShardIterator.lifetimeMillis + 1)
        XCTAssertThrowsError(try records(it)) { XCTAssertEqual(($0 as? AWSError)?.code, "ExpiredIteratorException") }
    }

    func testRetentionHidesAndTrimsOldRecordsAndNumbersNeverRepeat() throws {
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 1])
        let old = try put("old")
        clock.advance(milliseconds: 25 * 3_600_000)
        let fresh = try put("fresh")
        XCTAssertEqual(try records(iterator("TRIM_HORIZON")).0, ["fresh"])
        XCTAssertGreaterThan(fresh, old)
        XCTAssertThrowsError(try call("DecreaseStreamRetentionPeriod", ["StreamName": "ev", "RetentionPeriodHours": 48]))
        _ = try call("IncreaseStreamRetentionPeriod", ["StreamName": "ev", "RetentionPeriodHours": 48])
        XCTAssertEqual(try records(iterator("TRIM_HORIZON")).0, ["fresh"], "increasing never restores trimmed data")
    }

    func testRecordsAndSequenceNumbersSurviveReopening() throws {
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 2])
        let first = try put("a", key: "same")
        service = nil
        service = try DataStreamService(log: SQLiteRecordLog(path: path), clock: clock.millis)
        let second = try put("b", key: "same")
        XCTAssertGreaterThan(second, first)
        let shard = try call("PutRecord", ["StreamName": "ev", "PartitionKey": "same", "Data": ""])["ShardId"] as! String
        XCTAssertEqual(try records(iterator("TRIM_HORIZON", shard: shard)).0, ["a", "b", ""])
    }

    func testErrorsCarryKinesisCodes() throws {
        func code(_ op: String, _ args: [String: Any]) -> String? {
            do { _ = try call(op, args); return nil } catch { return (error as? AWSError)?.code }
        }
        XCTAssertEqual(code("DescribeStreamSummary", ["StreamName": "nope"]), "ResourceNotFoundException")
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 1])
        XCTAssertEqual(code("CreateStream", ["StreamName": "ev", "ShardCount": 1]), "ResourceInUseException")
        XCTAssertEqual(code("GetRecords", ["ShardIterator": "bogus"]), "InvalidArgumentException")
        XCTAssertEqual(code("GetRecords", ["ShardIterator": try iterator("LATEST"), "Limit": 20000]), "InvalidArgumentException")
        XCTAssertEqual(code("PutRecord", ["StreamName": "ev", "PartitionKey": "k", "Data": "AA==", "ExplicitHashKey": "-1"]),
                       "InvalidArgumentException")
        XCTAssertEqual(code("SplitShard", ["StreamName": "ev"]), "NotImplemented")
        // Numbers from outside that would overflow: refused with the protocol's error, never a trap.
        let last = "49000000" + String(Int64.max)
        XCTAssertEqual(code("GetShardIterator", ["StreamName": "ev", "ShardId": "shardId-000000000000",
                                                 "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": last]),
                       "InvalidArgumentException")
        for timestamp in [1e300, -1e300, Double.nan, Double.infinity] {
            XCTAssertEqual(code("GetShardIterator", ["StreamName": "ev", "ShardId": "shardId-000000000000",
                                                     "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": timestamp]),
                           "InvalidArgumentException", "\(timestamp)")
        }
        XCTAssertThrowsError(try StreamFollower(stream: service.stream(named: "ev"), resume: last, service: service))
        XCTAssertEqual(code("Frobnicate", [:]), "UnknownOperationException")
    }
}

extension DataStreamServiceTests {
    func testThrottlingIsOptInPerStreamAndReportsPartialFailures() throws {
        _ = try call("CreateStream", ["StreamName": "ev", "ShardCount": 1])
        let batch: [[String: Any]] = (0..<500).map { ["Data": "AAAA", "PartitionKey": "k\($0)"] }
        for _ in 0..<3 {
            XCTAssertEqual(try call("PutRecords", ["StreamName": "ev", "Records": batch])["FailedRecordCount"] as? Int, 0,
                           "no limits unless the stream opts in")
        }
        _ = try call("AddTagsToStream", ["StreamName": "ev", "Tags": ["videod:throttle": "on"]])
        XCTAssertEqual(try call("PutRecords", ["StreamName": "ev", "Records": batch])["FailedRecordCount"] as? Int, 0)
        XCTAssertEqual(try call("PutRecords", ["StreamName": "ev", "Records": batch])["FailedRecordCount"] as? Int, 0)
        let third = try call("PutRecords", ["StreamName": "ev", "Records": batch])
        XCTAssertEqual(third["FailedRecordCount"] as? Int, 500, "1,000 records/s per shard")
        let failed = (third["Records"] as! [[String: Any]])[0]
        XCTAssertEqual(failed["ErrorCode"] as? String, "ProvisionedThroughputExceededException")
        XCTAssertNil(failed["SequenceNumber"])
        XCTAssertThrowsError(try put("one more")) {
            XCTAssertEqual(($0 as? AWSError)?.code, "ProvisionedThroughputExceededException")
        }
        clock.advance(milliseconds: 1000)
        XCTAssertNoThrow(try put("after a second"))

        let it = try iterator("LATEST")
        for _ in 0..<5 { XCTAssertNoThrow(try records(it)) }
        XCTAssertThrowsError(try records(it), "5 GetRecords calls per second per shard")
        _ = try call("RemoveTagsFromStream", ["StreamName": "ev", "TagKeys": ["videod:throttle"]])
        XCTAssertNoThrow(try records(it))
    }
}

extension AWSValue {
    /// The response as plain Swift values, as a client would read them: blobs as `Data`,
    /// timestamps as epoch seconds.
    var plain: Any {
        switch self {
        case .string(let v): v
        case .int(let v): v
        case .double(let v): v
        case .bool(let v): v
        case .null: NSNull()
        case .array(let items): items.map(\.plain)
        case .object(let members): members.mapValues(\.plain)
        case .blob(let bytes): Data(bytes)
        case .timestamp(let micros): Double(micros) / 1_000_000
        }
    }
}
