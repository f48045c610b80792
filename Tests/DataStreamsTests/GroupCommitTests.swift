import Foundation
import TestSupport
import XCTest
@testable import DataStreams
import Primitives

final class GroupCommitTests: XCTestCase {
    func testConcurrentAppendsShareTransactionsAndKeepNumbersUnique() throws {
        let directory = TemporaryDirectory("kds-group")
        defer { directory.remove() }
        let path = directory.file("datastreams.sqlite")
        let log = try SQLiteRecordLog(path: path)
        let stream = try log.createStream(name: "g", shardRanges: HashKey.initialRanges(count: 2), onDemand: false,
                                          retentionHours: 24, maxRecordSizeKiB: 1024, tags: [:], now: 0)
        let calls = 200
        let box = ResultsBox(count: calls)
        DispatchQueue.concurrentPerform(iterations: calls) { i in
            let records = (0..<3).map { NewRecord(shard: 0, partitionKey: "k", data: [UInt8(i & 0xFF), UInt8($0)]) }
            box.set(i, try! log.append(streamID: stream.id, records: records, now: Int64(i)))
        }
        let results = box.values
        let all = results.flatMap { $0 }
        XCTAssertEqual(Set(all).count, calls * 3, "every record got its own number")
        XCTAssertEqual(all.sorted(), Array(1...Int64(calls * 3)))
        for counters in results { XCTAssertEqual(counters, [counters[0], counters[0] + 1, counters[0] + 2]) }
        let stored = try log.read(streamID: stream.id, shard: 0, from: 0, notBefore: 0, limit: 10_000, maxBytes: 1 << 30)
        XCTAssertEqual(stored.count, calls * 3)
    }
}

final class GroupCommitOrderTests: XCTestCase {
    /// Callers that arrive while a commit runs are committed together, in arrival order, and
    /// each gets its own result. Deterministic: the first commit waits until two callers queued.
    func testCallersQueuedDuringACommitShareTheNextOne() throws {
        let group = GroupCommit<Int, Int>()
        let box = ResultsBox(count: 3)
        let batches = ResultsBox(count: 3)
        let leaderInside = DispatchSemaphore(value: 0)
        let first = Thread {
            box.set(0, [Int64(try! group.submit(0) { batch in
                leaderInside.signal()
                let deadline = Date().addingTimeInterval(30)
                while group.queued < 2 && Date() < deadline { usleep(1000) }
                batches.set(0, batch.map(Int64.init))
                return batch.map { $0 * 10 }
            })])
        }
        first.start()
        leaderInside.wait()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            box.set(i + 1, [Int64(try! group.submit(i + 1) { batch in
                batches.set(1, batch.map(Int64.init))
                return batch.map { $0 * 10 }
            })])
        }
        while box.values[0].isEmpty { usleep(1000) }
        XCTAssertEqual(group.commits, 2, "three calls, two transactions")
        XCTAssertEqual(batches.values[0], [0])
        XCTAssertEqual(Set(batches.values[1]), [1, 2])
        XCTAssertEqual(box.values, [[0], [10], [20]])
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[Int64]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [Int64]) { lock.withLock { storage[i] = value } }
    var values: [[Int64]] { lock.withLock { storage } }
}
