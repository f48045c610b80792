import Foundation
import Logging
import TestSupport
import XCTest
@testable import Fragments

/// Retention by arrival time: reads hide what is past it at once, the sweep removes rows and then
/// whole segment files, streams without a retention keep everything.
final class RetentionTests: XCTestCase {
    var temporary: TemporaryDirectory!
    let clock = TestClock()

    override func setUpWithError() throws { temporary = TemporaryDirectory("retention") }
    override func tearDownWithError() throws { temporary.remove() }

    func open() throws -> FragmentStore {
        var logger = Logger(label: "retention")
        logger.logLevel = .critical
        let store = try FragmentStore(directory: temporary.path, logger: logger, retention: RetentionPolicy(liveBuffer: 60_000_000),
                                      clock: clock.micros)
        store.segmentLimit = 1 // a segment file per fragment, to see whole files go
        return store
    }

    func append(_ store: FragmentStore, _ stream: StreamRecord, arrivedAgo seconds: Int64) throws -> FragmentRecord {
        let initID = try store.addInitSegment(streamID: stream.id, bytes: [1], tracks: [], now: 1)
        let now = clock.micros()
        return try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
            producerStart: now - seconds * 1_000_000, serverStart: now - seconds * 1_000_000, duration: 2_000_000,
            discontinuity: false, bytes: [UInt8](repeating: 7, count: 500)))
    }

    func testAnHourOfRetentionHidesOlderFragmentsAtOnceAndTheSweepRemovesTheirFiles() throws {
        let store = try open()
        let stream = try store.createStream(named: "hour", now: clock.micros(), attributes: StreamAttributes(retentionHours: 1), tags: [:])
        let old = try append(store, stream, arrivedAgo: 3 * 3600)
        let older = try append(store, stream, arrivedAgo: 2 * 3600)
        let fresh = try append(store, stream, arrivedAgo: 600)
        XCTAssertNil(try store.fragment(number: old.number), "past retention: hidden before any sweep")
        XCTAssertEqual(try store.fragments(streamID: stream.id, kind: .server, from: 0, to: .max / 2, limit: 10).map(\.number),
                       [fresh.number])
        XCTAssertEqual(try store.fragments(streamID: stream.id, kind: .producer, startingFrom: 0, through: .max / 2, after: nil,
                                           limit: 10).map(\.number), [fresh.number])

        let swept = try store.sweepRetention()
        XCTAssertEqual(swept["hour"]?.fragments, 2)
        XCTAssertEqual(swept["hour"]?.files, 2, "the two old fragments' files go whole")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.segmentPath(old.segment)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.segmentPath(older.segment)))
        XCTAssertEqual(try store.bytes(of: fresh), [UInt8](repeating: 7, count: 500))
        XCTAssertEqual(try store.sweepRetention(), [:], "nothing more to do")

        // Time passes: the fresh fragment's turn comes; its file is the one being written, so it stays.
        clock.advance(milliseconds: 3_600_000)
        XCTAssertEqual(try store.sweepRetention()["hour"]?.fragments, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.segmentPath(fresh.segment)))
    }

    /// Live playlists number segments by ordinal: a sweep must not renumber what is left, and a
    /// stream swept empty goes on counting.
    func testOrdinalsCountEachStreamsHistoryAndSurviveSweeps() throws {
        let store = try open()
        let stream = try store.createStream(named: "ordinals", now: clock.micros(), attributes: StreamAttributes(retentionHours: 1), tags: [:])
        let other = try store.createStream(named: "other", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let first = try append(store, stream, arrivedAgo: 2 * 3600)
        let otherFirst = try append(store, other, arrivedAgo: 10)
        let second = try append(store, stream, arrivedAgo: 2 * 3600 - 2)
        let third = try append(store, stream, arrivedAgo: 10)
        XCTAssertEqual([first.ordinal, second.ordinal, third.ordinal, otherFirst.ordinal], [1, 2, 3, 1])
        XCTAssertEqual(try store.sweepRetention()["ordinals"]?.fragments, 2)
        XCTAssertEqual(try store.fragment(number: third.number)?.ordinal, 3, "read back unchanged after the sweep")
        XCTAssertEqual(try append(store, stream, arrivedAgo: 0).ordinal, 4)
        clock.advance(milliseconds: 3 * 3_600_000)
        _ = try store.sweepRetention()
        XCTAssertEqual(try store.newestFragment(streamID: stream.id), nil, "swept empty")
        XCTAssertEqual(try append(store, stream, arrivedAgo: 0).ordinal, 5)
    }

    /// Over a quota the oldest files go first whichever stream they belong to; a file a push is
    /// writing stays until its push ends.
    func testTheOldestFilesAcrossStreamsGoFirstButNotOneBeingWritten() throws {
        let store = try open()
        let first = try store.createStream(named: "first", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let second = try store.createStream(named: "second", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let a1 = try append(store, first, arrivedAgo: 100)
        let b1 = try append(store, second, arrivedAgo: 90)
        let a2 = try append(store, first, arrivedAgo: 80)
        let b2 = try append(store, second, arrivedAgo: 70)  // both streams' newest files are open (pushes going on)
        XCTAssertEqual(try store.archiveBytes(), 2000)

        let dropped = try store.dropOldest(bytes: 900)
        XCTAssertEqual(dropped["first"]?.fragments, 1)
        XCTAssertEqual(dropped["second"]?.fragments, 1)
        XCTAssertNil(try store.fragment(number: a1.number))
        XCTAssertNil(try store.fragment(number: b1.number), "the second oldest, from the other stream")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.segmentPath(a1.segment)))
        XCTAssertEqual(try store.archiveBytes(), 1000)

        // Asked for more: the files being written stay.
        XCTAssertEqual(try store.dropOldest(bytes: 10_000), [:])
        XCTAssertNotNil(try store.fragment(number: a2.number))
        // The first stream's push ends: now its file may go, and it is the oldest left.
        store.closeWriter(streamID: first.id)
        XCTAssertEqual(try store.dropOldest(bytes: 1)["first"]?.fragments, 1)
        XCTAssertNil(try store.fragment(number: a2.number))
        XCTAssertEqual(try store.bytes(of: b2), [UInt8](repeating: 7, count: 500))
    }

    func testRetentionZeroKeepsALiveBufferAndNoRetentionKeepsEverything() throws {
        let store = try open()
        let live = try store.createStream(named: "live", now: clock.micros(), attributes: StreamAttributes(retentionHours: 0), tags: [:])
        let forever = try store.createStream(named: "forever", now: 1).stream
        let stale = try append(store, live, arrivedAgo: 120)
        let recent = try append(store, live, arrivedAgo: 10)
        let ancient = try append(store, forever, arrivedAgo: 10 * 365 * 86400)
        XCTAssertNil(try store.fragment(number: stale.number), "older than the 60 s buffer")
        XCTAssertNotNil(try store.fragment(number: recent.number))
        XCTAssertNotNil(try store.fragment(number: ancient.number))
        let swept = try store.sweepRetention()
        XCTAssertEqual(swept["live"]?.fragments, 1)
        XCTAssertNil(swept["forever"])
    }
}
