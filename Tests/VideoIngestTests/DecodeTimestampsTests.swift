import TestSupport
import XCTest
@testable import VideoIngest

/// Decode times derived from RTP presentation times: increasing, never after presentation.
final class DecodeTimestampsTests: XCTestCase {
    /// Pushes presentation times in decode order; returns (frame number, dts, pts) in output order.
    private func run(_ pts: [Int64], delay: Int) -> (out: [(Int, Int64, Int64)], repaired: Int) {
        var timestamps = DecodeTimestamps<Int>(reorderDelay: delay)
        var out: [(Int, Int64, Int64)] = []
        for (n, p) in pts.enumerated() {
            out += timestamps.push(n, pts: p).map { ($0.item, $0.dts, $0.pts) }
        }
        out += timestamps.flush().map { ($0.item, $0.dts, $0.pts) }
        return (out, timestamps.repaired)
    }

    private func assertValid(_ out: [(Int, Int64, Int64)], count: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(out.map(\.0), Array(0..<count), "every frame once, in decode order", file: file, line: line)
        for (a, b) in zip(out, out.dropFirst()) {
            XCTAssertLessThan(a.1, b.1, "decode times increase", file: file, line: line)
        }
        for frame in out {
            XCTAssertLessThanOrEqual(frame.1, frame.2, "decode before presentation", file: file, line: line)
        }
    }

    func testWithoutBFramesDecodeTimeIsPresentationTime() {
        var timestamps = DecodeTimestamps<Int>(reorderDelay: 0)
        let first = timestamps.push(0, pts: 0)
        XCTAssertEqual(first.map(\.dts), [0], "no frame is held back")
        XCTAssertEqual(timestamps.push(1, pts: 6000).map(\.dts), [6000])
    }

    func testBFramesGetTheShiftedSortedPresentationTimes() {
        // x264 with B-pyramid: I0 P4 B2 b1 b3 P8 B6 b5 b7, in frames of 6000 ticks (15 fps at 90 kHz).
        let order: [Int64] = [0, 4, 2, 1, 3, 8, 6, 5, 7].map { $0 * 6000 }
        let (out, repaired) = run(order, delay: 2)
        assertValid(out, count: order.count)
        XCTAssertEqual(out.map(\.2), order, "presentation times are kept")
        // Frame n decodes at the (n-2)-th presentation time; the first two before the first one, at
        // the interval the first three frames suggest (0, 4, 2: two frames).
        XCTAssertEqual(out.map(\.1), [-24000, -12000, 0, 6000, 12000, 18000, 24000, 30000, 36000])
        XCTAssertEqual(repaired, 0)
    }

    func testTheFirstFramesWaitForTheFrameAfterThem() {
        var timestamps = DecodeTimestamps<Int>(reorderDelay: 1)
        XCTAssertTrue(timestamps.push(0, pts: 0).isEmpty)
        XCTAssertTrue(timestamps.isHolding)
        XCTAssertEqual(timestamps.push(1, pts: 6000).map(\.item), [0, 1])
        XCTAssertFalse(timestamps.isHolding)
    }

    func testAStreamEndingWhileFramesAreHeldStillEmitsThem() {
        let (out, _) = run([0, 3000], delay: 4)
        assertValid(out, count: 2)
    }

    func testReorderingDeeperThanDeclaredIsForcedIntoOrder() {
        // A camera that does not declare its B-frames: delay 0, but presentation times go back.
        let order: [Int64] = [0, 3, 1, 2, 6, 4, 5].map { $0 * 3000 }
        let (out, repaired) = run(order, delay: 0)
        assertValid(out, count: order.count)
        XCTAssertGreaterThan(repaired, 0)
    }

    func testRandomReorderWithinTheDeclaredDepthIsExact() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let delay = Int.random(in: 0...3, using: &generator)
            // Presentation slots 0..<40, each frame decoded at most `delay` frames before it is shown.
            var decodeOrder = Array(0..<40)
            for i in stride(from: 0, to: 40, by: delay + 1) {
                let end = min(i + delay + 1, 40)
                decodeOrder[i..<end].shuffle(using: &generator)
            }
            let pts = decodeOrder.map { Int64($0) * 1000 }
            let (out, repaired) = run(pts, delay: delay)
            assertValid(out, count: 40)
            XCTAssertEqual(repaired, 0, "\(decodeOrder) with delay \(delay)")
            XCTAssertEqual(out.map(\.2), pts)
        }
    }
}
