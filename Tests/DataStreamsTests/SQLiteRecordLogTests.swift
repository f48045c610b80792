import Foundation
import GRDB
import TestSupport
import XCTest
@testable import DataStreams

/// The record log on a real SQLite file: records packed per (append, shard) come back exactly,
/// from any sequence number, within limits, and a log written by the row-per-record schema is
/// carried over.
final class SQLiteRecordLogTests: XCTestCase {
    var directory: TemporaryDirectory!
    var path: String!

    override func setUpWithError() throws {
        directory = TemporaryDirectory("kds-log")
        path = directory.file("datastreams.sqlite")
    }

    override func tearDownWithError() throws {
        directory.remove()
    }

    func makeStream(_ log: SQLiteRecordLog, shards: Int) throws -> Int64 {
        try log.createStream(name: "s", shardRanges: HashKey.initialRanges(count: shards), onDemand: false, retentionHours: 24,
                             maxRecordSizeKiB: 1024, tags: [:], now: 0).id
    }

    func testAppendsSpreadOverShardsReadBackExactlyFromAnyPosition() throws {
        let log = try SQLiteRecordLog(path: path)
        let id = try makeStream(log, shards: 3)
        var written: [Int: [(Int64, NewRecord)]] = [:]
        for (batch, now) in [(0, Int64(1000)), (1, 2000)] {
            let records = (0..<700).map { i in
                NewRecord(shard: (i * 7 + batch) % 3, partitionKey: "key-\(batch)-\(i)", data: (0..<(i % 50)).map { UInt8(($0 + i) & 0xFF) })
            }
            let counters = try log.append(streamID: id, records: records, now: now)
            for (record, counter) in zip(records, counters) { written[record.shard, default: []].append((counter, record)) }
        }
        for shard in 0..<3 {
            let expected = written[shard]!
            XCTAssertEqual(expected.map(\.0), Array(1...Int64(expected.count)), "counters of shard \(shard) are consecutive from 1")
            for start in [Int64(0), 1, 2, 150, Int64(expected.count - 1), Int64(expected.count + 5)] {
                let read = try log.read(streamID: id, shard: shard, from: start, notBefore: 0, limit: 10_000, maxBytes: 1 << 30)
                let want = expected.filter { $0.0 >= start }
                XCTAssertEqual(read.map(\.sequence), want.map(\.0), "shard \(shard) from \(start)")
                XCTAssertEqual(read.map(\.partitionKey), want.map(\.1.partitionKey))
                XCTAssertEqual(read.map(\.data), want.map(\.1.data))
            }
            let page = try log.read(streamID: id, shard: shard, from: 5, notBefore: 0, limit: 300, maxBytes: 1 << 30)
            XCTAssertEqual(page.map(\.sequence), Array(5..<305), "the limit spans two appends")
            XCTAssertEqual(Set(page.map(\.arrival)), [1000, 2000])
            let recent = try log.read(streamID: id, shard: shard, from: 0, notBefore: 1500, limit: 10_000, maxBytes: 1 << 30)
            XCTAssertEqual(recent.first?.arrival, 2000, "records that arrived before notBefore are skipped")
            XCTAssertEqual(try log.firstCounter(streamID: id, shard: shard, arrivedAtOrAfter: 1500), recent.first?.sequence)
            XCTAssertEqual(try log.newest(streamID: id, shard: shard)?.counter, Int64(expected.count))
        }
        let small = try log.read(streamID: id, shard: 0, from: 0, notBefore: 0, limit: 10_000, maxBytes: 100)
        XCTAssertLessThanOrEqual(small.map(\.data.count).reduce(0, +), 100)
        XCTAssertFalse(small.isEmpty)
        XCTAssertEqual(try log.trim(streamID: id, arrivedBefore: 1500), 700, "the first append's records, counted")
        XCTAssertEqual(try log.read(streamID: id, shard: 1, from: 0, notBefore: 0, limit: 10, maxBytes: 1 << 30).first?.arrival, 2000)
    }

    func testRecordsStoredARowEachByTheFirstSchemaAreCarriedOver() throws {
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteRecordLog.migrator().migrate(queue, upTo: "kds-v1")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO kds_streams (id, name, created_at, on_demand, retention_hours, max_record_kib) VALUES (1, 's', 0, 0, 24, 1024)")
                try db.execute(sql: "INSERT INTO kds_shards (stream_id, shard, start_hash, end_hash, next_counter) VALUES (1, 0, '0', ?, 6)",
                               arguments: [String(UInt128.max)])
                for (counter, arrival) in [(1, 10), (2, 10), (3, 10), (4, 20), (5, 20)] {
                    try db.execute(sql: "INSERT INTO kds_records VALUES (1, 0, ?, ?, ?, ?)",
                                   arguments: [counter, arrival, "k\(counter)", Data([UInt8(counter)])])
                }
            }
        }
        let log = try SQLiteRecordLog(path: path)
        let read = try log.read(streamID: 1, shard: 0, from: 0, notBefore: 0, limit: 100, maxBytes: 1 << 20)
        XCTAssertEqual(read.map(\.sequence), [1, 2, 3, 4, 5])
        XCTAssertEqual(read.map(\.arrival), [10, 10, 10, 20, 20])
        XCTAssertEqual(read.map(\.partitionKey), ["k1", "k2", "k3", "k4", "k5"])
        XCTAssertEqual(read.map(\.data), [[1], [2], [3], [4], [5]])
        XCTAssertEqual(try log.append(streamID: 1, records: [NewRecord(shard: 0, partitionKey: "n", data: [9])], now: 30), [6])
        XCTAssertEqual(try log.trim(streamID: 1, arrivedBefore: 15), 3)
    }
}
