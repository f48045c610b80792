import Foundation
import Logging
import TestSupport
import XCTest
@testable import Fragments

/// What a crash or a power loss leaves behind never stops the store from opening: rows whose
/// bytes are gone are dropped, and the rest reads back as written.
final class StoreRecoveryTests: XCTestCase {
    var temporary: TemporaryDirectory!

    override func setUpWithError() throws { temporary = TemporaryDirectory("store-recovery") }
    override func tearDownWithError() throws { temporary.remove() }

    func open() throws -> FragmentStore {
        var logger = Logger(label: "recovery")
        logger.logLevel = .critical
        return try FragmentStore(directory: temporary.path, logger: logger)
    }

    func fill(_ store: FragmentStore, name: String, count: Int) throws -> [FragmentRecord] {
        let stream = try store.createStream(named: name, now: 1).stream
        let initID = try store.addInitSegment(streamID: stream.id, bytes: [1, 2, 3], tracks: [], now: 1)
        return try (0..<count).map { i in
            try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
                producerStart: Int64(i) * 2_000_000, serverStart: Int64(i) * 2_000_000, duration: 2_000_000,
                discontinuity: false, bytes: [UInt8](repeating: UInt8(i), count: 1000)))
        }
    }

    func testAFileShorterThanItsIndexLosesOnlyTheFragmentsItCannotBack() throws {
        var store: FragmentStore? = try open()
        let records = try fill(store!, name: "cam", count: 4)
        let path = store!.segmentPath(records[0].segment)
        store = nil
        // Bytes lost mid-way through the third fragment (a power loss before the data reached disk).
        XCTAssertEqual(truncate(path, off_t(records[2].offset + 10)), 0)

        let reopened = try open()
        XCTAssertEqual(try reopened.fragment(number: records[1].number), records[1])
        XCTAssertEqual(try reopened.bytes(of: records[1]), [UInt8](repeating: 1, count: 1000))
        XCTAssertNil(try reopened.fragment(number: records[2].number))
        XCTAssertNil(try reopened.fragment(number: records[3].number))
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
        XCTAssertEqual(size?.int64Value, records[1].offset + records[1].size, "the half fragment is cut off too")
    }

    func testAMissingFileLosesItsRowsAndOtherStreamsCarryOn() throws {
        var store: FragmentStore? = try open()
        let lost = try fill(store!, name: "lost", count: 2)
        let kept = try fill(store!, name: "kept", count: 2)
        try FileManager.default.removeItem(atPath: store!.segmentPath(lost[0].segment))
        store = nil

        let reopened = try open()
        XCTAssertNil(try reopened.fragment(number: lost[0].number))
        XCTAssertEqual(try reopened.bytes(of: kept[1]), [UInt8](repeating: 1, count: 1000))
        // New fragments are numbered after everything ever stored.
        let next = try fill(reopened, name: "lost", count: 1)
        XCTAssertGreaterThan(next[0].number, kept[1].number)
    }

    func testWritersCloseWhenAPushEndsAndTheNextPushAppendsToTheSameFile() throws {
        let store = try open()
        let first = try fill(store, name: "a", count: 2)
        _ = try fill(store, name: "b", count: 1)
        XCTAssertEqual(store.openWriterCount, 2)
        let stream = try XCTUnwrap(try store.stream(named: "a"))
        store.closeWriter(streamID: stream.id)
        XCTAssertEqual(store.openWriterCount, 1)
        let more = try store.append(streamID: stream.id, initID: first[0].initID, fragment: NewFragment(
            producerStart: 9_000_000, serverStart: 9_000_000, duration: 2_000_000, discontinuity: false, bytes: [9, 9]))
        XCTAssertEqual(more.segment, first[0].segment)
        XCTAssertEqual(more.offset, first[1].offset + first[1].size)
        XCTAssertEqual(try store.bytes(of: more), [9, 9])
    }

    /// DELETE removes a stream's rows in one transaction, then its folder: a crash in between
    /// leaves a folder no row names, which the next start removes.
    func testADeleteCutShortByACrashIsFinishedAtTheNextStart() throws {
        var store: FragmentStore? = try open()
        let records = try fill(store!, name: "gone", count: 2)
        let folder = store!.segmentPath(String(records[0].streamID))
        try store!.database.write { db in
            try db.execute(sql: "DELETE FROM fragments WHERE stream_id = ?", arguments: [records[0].streamID])
            try db.execute(sql: "DELETE FROM inits WHERE stream_id = ?", arguments: [records[0].streamID])
            try db.execute(sql: "DELETE FROM streams WHERE id = ?", arguments: [records[0].streamID])
        }
        store = nil
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder))
        let reopened = try open()
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
        XCTAssertNil(try reopened.stream(named: "gone"))
        let again = try fill(reopened, name: "gone", count: 1)
        XCTAssertGreaterThan(again[0].number, records[1].number)
    }
}
