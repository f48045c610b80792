import Foundation
import TestSupport
import XCTest
@testable import Fragments

final class FragmentStoreTests: XCTestCase {
    var temporary: TemporaryDirectory!
    var directory: String!

    override func setUpWithError() throws {
        temporary = TemporaryDirectory("videod-store")
        directory = temporary.path
    }

    override func tearDownWithError() throws {
        temporary.remove()
    }

    func bytes(_ seed: UInt8, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0) }
    }

    /// A stream with fragments at producer times 10 s, 12 s, 14 s (2 s each) and an init segment.
    func makeStream(_ store: FragmentStore, name: String = "cam1") throws -> (Int64, [FragmentRecord]) {
        let stream = try store.createStream(named: name, now: 1).stream
        let initID = try store.addInitSegment(streamID: stream.id, bytes: bytes(9, 100), tracks: [], now: 1)
        let records = try (0..<3).map { i in
            try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
                producerStart: 10_000_000 + Int64(i) * 2_000_000, serverStart: 50_000_000 + Int64(i) * 2_000_000,
                duration: 2_000_000, discontinuity: false, bytes: bytes(UInt8(i), 1000 + i)))
        }
        return (stream.id, records)
    }

    func testLookupsAtBetweenBeforeAndAfterFragments() throws {
        let store = try FragmentStore(directory: directory)
        let (id, records) = try makeStream(store)
        func numbers(_ from: Int64, _ to: Int64, _ kind: TimestampKind = .producer) throws -> [FragmentNumber] {
            try store.fragments(streamID: id, kind: kind, from: from, to: to, limit: 100).map(\.number)
        }
        let n = records.map(\.number)
        XCTAssertEqual(try numbers(12_000_000, 12_000_001), [n[1]], "exactly at a fragment start")
        XCTAssertEqual(try numbers(13_000_000, 13_500_000), [n[1]], "inside a fragment")
        XCTAssertEqual(try numbers(11_000_000, 15_000_000), n, "spanning all three")
        XCTAssertEqual(try numbers(0, 5_000_000), [], "before the first fragment")
        XCTAssertEqual(try numbers(0, 10_000_001), [n[0]], "ending just after the first start")
        XCTAssertEqual(try numbers(16_000_000, 20_000_000), [], "after the last fragment ends")
        XCTAssertEqual(try numbers(15_999_999, 20_000_000), [n[2]], "inside the last fragment")
        XCTAssertEqual(try numbers(52_500_000, 54_000_000, .server), [n[1]], "by server time")
    }

    func testFragmentNumbersGrowAndStayUniqueAcrossStreams() throws {
        let store = try FragmentStore(directory: directory)
        let (_, a) = try makeStream(store, name: "a")
        let (_, b) = try makeStream(store, name: "b")
        let all = (a + b).map(\.number)
        XCTAssertEqual(Set(all).count, all.count)
        XCTAssertEqual(all, all.sorted())
    }

    func testPaginationResumesAfterTheCursor() throws {
        let store = try FragmentStore(directory: directory)
        let (id, records) = try makeStream(store)
        let first = try store.fragments(streamID: id, kind: .producer, from: 0, to: .max / 2, limit: 2)
        XCTAssertEqual(first.map(\.number), Array(records.prefix(2).map(\.number)))
        let cursor = FragmentCursor(timestamp: first[1].producerStart, number: first[1].number)
        let rest = try store.fragments(streamID: id, kind: .producer, from: 0, to: .max / 2, after: cursor, limit: 2)
        XCTAssertEqual(rest.map(\.number), [records[2].number])
    }

    func testTornTailIsCutOffAndEverythingBeforeReadsBackIdentical() throws {
        var store: FragmentStore? = try FragmentStore(directory: directory)
        let (_, records) = try makeStream(store!)
        let expected = try records.map { try store!.bytes(of: $0) }
        let segment = store!.segmentPath(records[0].segment)
        store = nil
        // A crash after writing part of a fourth fragment, before its index row.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(bytes(7, 777)))
        try handle.close()
        let goodEnd = records[2].offset + records[2].size

        let reopened = try FragmentStore(directory: directory)
        let size = try FileManager.default.attributesOfItem(atPath: segment)[.size] as? NSNumber
        XCTAssertEqual(size?.int64Value, goodEnd, "the unindexed tail is gone")
        for (record, bytes) in zip(records, expected) {
            XCTAssertEqual(try reopened.fragment(number: record.number), record)
            XCTAssertEqual(try reopened.bytes(of: record), bytes)
        }
        // Appending after recovery continues cleanly.
        let stream = try XCTUnwrap(try reopened.stream(named: "cam1"))
        let next = try reopened.append(streamID: stream.id, initID: records[0].initID, fragment: NewFragment(
            producerStart: 16_000_000, serverStart: 56_000_000, duration: 2_000_000, discontinuity: false, bytes: bytes(3, 500)))
        XCTAssertGreaterThan(next.number, records[2].number)
        XCTAssertEqual(try reopened.bytes(of: next), bytes(3, 500))
    }

    func testDeleteRemovesRowsAndFiles() throws {
        let store = try FragmentStore(directory: directory)
        let (id, records) = try makeStream(store)
        let folder = store.segmentPath(String(id))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder))
        XCTAssertTrue(try store.deleteStream(named: "cam1"))
        XCTAssertNil(try store.stream(named: "cam1"))
        XCTAssertNil(try store.fragment(number: records[0].number))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
        XCTAssertFalse(try store.deleteStream(named: "cam1"))
    }

    func testIdenticalInitSegmentIsReused() throws {
        let store = try FragmentStore(directory: directory)
        let stream = try store.createStream(named: "cam1", now: 1).stream
        let a = try store.addInitSegment(streamID: stream.id, bytes: bytes(1, 50), tracks: [], now: 1)
        let b = try store.addInitSegment(streamID: stream.id, bytes: bytes(1, 50), tracks: [], now: 2)
        let c = try store.addInitSegment(streamID: stream.id, bytes: bytes(2, 50), tracks: [], now: 3)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testStreamNames() {
        XCTAssertTrue(StreamName.isValid("cam-1_front.door"))
        XCTAssertFalse(StreamName.isValid(""))
        XCTAssertFalse(StreamName.isValid(String(repeating: "a", count: 257)))
        XCTAssertTrue(StreamName.isValid(String(repeating: "a", count: 256)))
        XCTAssertFalse(StreamName.isValid("cam 1"))
        XCTAssertFalse(StreamName.isValid("cam/1"))
    }
}
