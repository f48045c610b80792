import Foundation
import Logging
import TestSupport
import XCTest
@testable import Fragments

/// Event-aware retention in the store: past the window only fragments meeting an event's span stay,
/// each kept one after a removed one is marked discontinuous, and the disk comes back by whole files
/// or by rewriting a file to its kept fragments, which read back byte for byte.
final class ThinningTests: XCTestCase {
    var temporary: TemporaryDirectory!
    let clock = TestClock()

    override func setUpWithError() throws { temporary = TemporaryDirectory("thinning") }
    override func tearDownWithError() throws { temporary.remove() }

    func open(segmentLimit: Int64) throws -> FragmentStore {
        var logger = Logger(label: "thinning")
        logger.logLevel = .critical
        let store = try FragmentStore(directory: temporary.path, logger: logger, clock: clock.micros)
        store.segmentLimit = segmentLimit
        return store
    }

    /// Ten 2 s fragments, 1000 bytes each, distinct contents, arrived an hour ago and on.
    func fill(_ store: FragmentStore, _ stream: StreamRecord) throws -> [FragmentRecord] {
        let initID = try store.addInitSegment(streamID: stream.id, bytes: [1], tracks: [], now: 1)
        let start = clock.micros() - 3_600_000_000
        return try (0..<10).map { i in
            try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
                producerStart: start + Int64(i) * 2_000_000, serverStart: start + Int64(i) * 2_000_000, duration: 2_000_000,
                discontinuity: false, bytes: [UInt8](repeating: UInt8(i), count: 1000)))
        }
    }

    func testOnlyFragmentsAroundEventsStayAndGapsAreMarked() throws {
        let store = try open(segmentLimit: 1) // a file per fragment
        let stream = try store.createStream(named: "thin", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let all = try fill(store, stream)
        store.closeWriter(streamID: stream.id)
        // One event spanning fragments 3 and 4 (producer time), and the newest fragment after the window.
        let event = all[3].producerStart + 500_000..<all[4].producerStart + 100_000
        let expired = try store.thin(streamID: stream.id, arrivedBefore: all[9].serverStart, keeping: [event])
        XCTAssertEqual(expired.fragments, 7)
        XCTAssertEqual(expired.files, 7, "each removed fragment's file goes whole")
        let left = try store.fragments(streamID: stream.id, kind: .server, from: 0, to: .max / 2, limit: 100)
        XCTAssertEqual(left.map(\.number), [all[3], all[4], all[9]].map(\.number))
        XCTAssertEqual(left.map(\.discontinuity), [false, false, true],
                       "the oldest kept starts the stream; the one after the removed 5…8 follows a gap")
        XCTAssertEqual(try store.bytes(of: left[1]), [UInt8](repeating: 4, count: 1000))
        // A second sweep changes nothing.
        XCTAssertEqual(try store.thin(streamID: stream.id, arrivedBefore: all[9].serverStart, keeping: [event]).fragments, 0)
    }

    /// Sweeps judge only fragments they have not judged: two sweeps, the second starting where the
    /// first stopped, leave exactly what one sweep over all of them leaves, gaps marked the same.
    func testThinningInStepsLeavesWhatOneSweepLeaves() throws {
        let events = { (all: [FragmentRecord]) in
            SpanSet([all[3].producerStart + 500_000..<all[3].producerStart + 600_000,
                     all[7].producerStart..<all[7].producerStart + 1])
        }
        let store = try open(segmentLimit: 1)
        let stepped = try store.createStream(named: "stepped", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let steppedAll = try fill(store, stepped)
        store.closeWriter(streamID: stepped.id)
        let first = try store.thin(streamID: stepped.id, arrivedBefore: steppedAll[5].serverStart, keeping: events(steppedAll), after: 0)
        XCTAssertEqual(first.judgedThrough, steppedAll[4].number)
        let second = try store.thin(streamID: stepped.id, arrivedBefore: steppedAll[9].serverStart, keeping: events(steppedAll),
                                    after: first.judgedThrough)
        XCTAssertEqual(first.expired.fragments + second.expired.fragments, 7)

        let whole = try store.createStream(named: "whole", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let wholeAll = try fill(store, whole)
        store.closeWriter(streamID: whole.id)
        _ = try store.thin(streamID: whole.id, arrivedBefore: wholeAll[9].serverStart, keeping: events(wholeAll), after: 0)

        let left = { (stream: StreamRecord, all: [FragmentRecord]) in
            try store.fragments(streamID: stream.id, kind: .server, from: 0, to: .max / 2, limit: 100).map { fragment in
                (all.firstIndex { $0.number == fragment.number }!, fragment.discontinuity)
            }
        }
        let steppedLeft = try left(stepped, steppedAll), wholeLeft = try left(whole, wholeAll)
        XCTAssertEqual(steppedLeft.map(\.0), [3, 7, 9])
        XCTAssertEqual(steppedLeft.map(\.0), wholeLeft.map(\.0))
        XCTAssertEqual(steppedLeft.map(\.1), [false, true, true])
        XCTAssertEqual(steppedLeft.map(\.1), wholeLeft.map(\.1))
    }

    /// Merged spans answer "does this fragment meet an event" as scanning every span would.
    func testSpanSetAgreesWithAScanOfEverySpan() {
        var random = SeededGenerator(seed: 16)
        for _ in 0..<200 {
            let spans = (0..<Int.random(in: 0...12, using: &random)).map { _ in
                let start = Int64.random(in: 0...1000, using: &random)
                return start..<start + Int64.random(in: 1...120, using: &random)
            }
            let set = SpanSet(spans)
            XCTAssertTrue(zip(set.ranges, set.ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound }, "sorted, disjoint")
            for _ in 0..<50 {
                let start = Int64.random(in: -50...1100, using: &random)
                let probe = start..<start + Int64.random(in: 1...40, using: &random)
                XCTAssertEqual(set.meets(probe), spans.contains { $0.lowerBound < probe.upperBound && probe.lowerBound < $0.upperBound },
                               "\(probe) in \(spans)")
            }
        }
    }

    func testAMostlyEmptiedFileIsRewrittenWithItsKeptFragments() throws {
        let store = try open(segmentLimit: 1 << 30) // one file for all ten
        let stream = try store.createStream(named: "compact", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let all = try fill(store, stream)
        store.closeWriter(streamID: stream.id)
        // A later push in a new file, so the ten are not in the stream's latest file.
        store.segmentLimit = 1
        let initID = try store.addInitSegment(streamID: stream.id, bytes: [1], tracks: [], now: 1)
        let newest = try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
            producerStart: clock.micros(), serverStart: clock.micros(), duration: 2_000_000, discontinuity: false, bytes: [9, 9]))
        store.closeWriter(streamID: stream.id)
        let oldFile = store.segmentPath(all[0].segment)

        let event = all[2].producerStart..<all[2].producerStart + 1
        let expired = try store.thin(streamID: stream.id, arrivedBefore: newest.serverStart, keeping: [event])
        XCTAssertEqual(expired.fragments, 9)
        XCTAssertEqual(expired.files, 1)
        // Disk counted in whole blocks: 10000 bytes took 3 or more, the 1000 kept take one.
        XCTAssertGreaterThanOrEqual(expired.fileBytes, 8000, "the file shrank to its one kept fragment")
        XCTAssertLessThanOrEqual(expired.fileBytes, 10_000 + 4096)
        XCTAssertFalse(FileManager.default.fileExists(atPath: oldFile))
        let kept = try XCTUnwrap(try store.fragment(number: all[2].number))
        XCTAssertNotEqual(kept.segment, all[2].segment)
        XCTAssertEqual(kept.offset, 0)
        XCTAssertEqual(try store.bytes(of: kept), [UInt8](repeating: 2, count: 1000))
        XCTAssertEqual(try store.bytes(of: newest), [9, 9])

        // The rewritten file survives a restart (recovery keeps files rows name).
        let reopened = try open(segmentLimit: 1)
        XCTAssertEqual(try reopened.bytes(of: try XCTUnwrap(try reopened.fragment(number: all[2].number))),
                       [UInt8](repeating: 2, count: 1000))
    }

    func testMaxBytesDropsOnlyThatStreamsOldestFiles() throws {
        let store = try open(segmentLimit: 1)
        let capped = try store.createStream(named: "capped", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let other = try store.createStream(named: "other", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let otherFragments = try fill(store, other)
        let cappedFragments = try fill(store, capped)
        store.closeWriter(streamID: capped.id)
        store.closeWriter(streamID: other.id)
        let excess = try store.archiveBytes(streamID: capped.id) - 4000
        XCTAssertEqual(excess, 6000)
        let dropped = try store.dropOldest(bytes: excess, streamID: capped.id)
        XCTAssertEqual(dropped.keys.sorted(), ["capped"])
        XCTAssertEqual(try store.archiveBytes(streamID: capped.id), 4000)
        XCTAssertNil(try store.fragment(number: cappedFragments[5].number))
        XCTAssertNotNil(try store.fragment(number: cappedFragments[6].number))
        XCTAssertEqual(try store.archiveBytes(streamID: other.id), 10_000, "older, but another stream's")
        XCTAssertNotNil(try store.fragment(number: otherFragments[0].number))
    }

    func testRetentionSettingsParseAndRefuseNonsense() throws {
        let rule = try StreamRetention(all: "3d", events: "30d", eventPadding: 5, maxBytes: "2G").rule()
        XCTAssertEqual(rule.keepAll, 3 * 86_400_000_000)
        XCTAssertEqual(rule.keepEvents, 30 * 86_400_000_000)
        XCTAssertEqual(rule.eventPadding, 5_000_000)
        XCTAssertEqual(rule.maxBytes, 2 << 30)
        XCTAssertEqual(try StreamRetention(all: "90m").rule().keepAll, 5_400_000_000)
        for bad in [StreamRetention(all: "3x"), StreamRetention(all: "-1d"), StreamRetention(all: "1e300w"),
                    StreamRetention(events: "30d"), StreamRetention(all: "3d", events: "1d"),
                    StreamRetention(all: "1d", events: "2d", eventPadding: -1), StreamRetention(all: "1d", eventPadding: 5),
                    StreamRetention(all: "1d", events: "2d", eventPadding: .nan), StreamRetention(maxBytes: "40%"),
                    StreamRetention(maxBytes: "0")] {
            XCTAssertThrowsError(try bad.rule(), "\(bad)")
        }
    }
}

/// A push running for days writes one file; over the quota it still gives its oldest video back.
final class OpenFileQuotaTests: XCTestCase {
    func testAFileBeingWrittenGivesUpItsOldestFragmentsButNotItsNewest() throws {
        let temporary = TemporaryDirectory("open-quota")
        defer { temporary.remove() }
        var logger = Logger(label: "open-quota")
        logger.logLevel = .critical
        let clock = TestClock()
        let store = try FragmentStore(directory: temporary.path, logger: logger, clock: clock.micros)
        let stream = try store.createStream(named: "long-push", now: clock.micros(), attributes: StreamAttributes(), tags: [:])
        let initID = try store.addInitSegment(streamID: stream.id, bytes: [1], tracks: [], now: 1)
        let fragments = try (0..<8).map { i in
            try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
                producerStart: Int64(i) * 2_000_000, serverStart: Int64(i) * 2_000_000, duration: 2_000_000,
                discontinuity: false, bytes: [UInt8](repeating: UInt8(i + 1), count: 64 << 10)))
        }
        XCTAssertEqual(Set(fragments.map(\.segment)).count, 1, "one open file")
        let path = store.segmentPath(fragments[0].segment)
        func allocated() throws -> Int64 {
            var info = stat()
            XCTAssertEqual(stat(path, &info), 0)
            return Int64(info.st_blocks) * 512
        }
        let before = try allocated()

        let dropped = try store.dropOldest(bytes: 3 * (64 << 10))
        XCTAssertEqual(dropped["long-push"]?.fragments, 3)
        XCTAssertEqual(try store.fragments(streamID: stream.id, kind: .server, from: 0, to: .max / 2, limit: 100).map(\.number),
                       fragments[3...].map(\.number))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, 8 * (64 << 10), "size kept")
        XCTAssertLessThanOrEqual(try allocated(), before - 3 * (64 << 10) + 8192, "the blocks went back to the filesystem")
        for fragment in fragments[3...] {
            XCTAssertEqual(try store.bytes(of: fragment), [UInt8](repeating: UInt8(fragment.ordinal), count: 64 << 10))
        }
        // The push goes on appending after the hole; asked for everything, the newest stays.
        let next = try store.append(streamID: stream.id, initID: initID, fragment: NewFragment(
            producerStart: 16_000_000, serverStart: 16_000_000, duration: 2_000_000, discontinuity: false, bytes: [9, 9, 9]))
        let second = try XCTUnwrap(try store.dropOldest(bytes: 1 << 30)["long-push"])
        XCTAssertEqual(second.fragments, 5)
        XCTAssertEqual(try store.bytes(of: next), [9, 9, 9])
        XCTAssertEqual(try store.archiveBytes(), 3)

        // The push ends and its file goes whole: the bytes punched out before are not counted again.
        store.closeWriter(streamID: stream.id)
        let third = try XCTUnwrap(try store.dropOldest(bytes: 1)["long-push"])
        XCTAssertEqual(third.files, 1)
        let counted = (try XCTUnwrap(dropped["long-push"])).bytesFreed + second.bytesFreed + third.bytesFreed
        XCTAssertLessThanOrEqual(counted, 8 * (64 << 10) + 3 + 2 * 4096, "freed bytes counted once")
    }
}
