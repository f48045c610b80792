@testable import FrameAnalysis
import XCTest

/// Coasting through the middle of a visit (`AnalysisPipeline+Coast`) on real encodes: fewer
/// pictures decoded, the same events as decoding everything — each starting on the same frame,
/// ending within 3 frames (motion is analysed every other frame of 15 fps, from the key frame
/// after an undecoded GOP on) — and a visitor who stops for longer than the event gap still ends
/// one event and starts another.
final class CoastThroughVisitsTests: GatedClipTestCase {
    /// (kind, producer time µs, server time − producer time) of each event.
    func parsed(_ run: Run) -> [(kind: String, time: Int64, delay: Int64)] {
        run.events.map { event in
            let kind = String(event.prefix { $0 != "@" })
            let numbers = event.drop { $0 != "@" }.dropFirst().split(separator: "+").map { Int64($0) ?? -1 }
            return (kind, numbers.first ?? -1, numbers.last ?? -1)
        }
    }

    func assertSameEvents(_ coasted: Run, _ full: Run, file: StaticString = #filePath, line: UInt = #line) {
        let a = parsed(coasted), b = parsed(full)
        XCTAssertEqual(a.map(\.kind), b.map(\.kind), "\(coasted.events) vs \(full.events)", file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.delay, y.delay, "each event carries its frame's arrival", file: file, line: line)
            if x.kind == "MOTION_START" {
                XCTAssertEqual(x.time, y.time, "\(coasted.events) vs \(full.events)", file: file, line: line)
            } else {
                XCTAssertLessThanOrEqual(abs(x.time - y.time), 200_000, "\(coasted.events) vs \(full.events)", file: file, line: line)
            }
        }
    }

    /// A 48x48 patch of colour bars: textured, so that while it moves every coded picture grows
    /// (a flat square moving over flat bars is coded almost for free, and coasting stops).
    static let visitor = "smptebars=s=48x48:r=15"

    func testALongVisitIsFollowedThroughKeyFramesWithItsGOPsInBetweenLeftUndecoded() throws {
        // The patch walks back and forth at 60 px/s for 12 s (six GOPs).
        let path = try clip("overlay=x='20+abs(mod((t-14.2)*60,520)-260)':y=70:enable='between(t,14.2,26.2)'",
                            encode: Self.variableBitrate, visitor: Self.visitor)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true, coast: false)
        let coasted = try analyse(path, gate: true)
        XCTAssertEqual(full.events.count, 2, "\(full.events)")
        XCTAssertEqual(gated.events, full.events)
        assertSameEvents(coasted, full)
        XCTAssertGreaterThan(coasted.skipped, gated.skipped + 60, "the visit's middle GOPs left undecoded")
    }

    func testAVisitorWhoStopsLongerThanTheEventGapEndsOneEventAndStartsAnother() throws {
        // Walks right 14.2–18.5 s, stands 3 s, walks back from 21.5 s: the key frames at 20 and
        // 22 s both show it moved since the last picture seen, but the GOP at 18 s codes small
        // (still) pictures, which must be decoded to place the end.
        let path = try clip("overlay=x='if(lt(t,21.5),20+60*(min(t,18.5)-14.2),278-60*(t-21.5))':y=70:enable='between(t,14.2,26)'",
                            encode: Self.variableBitrate, visitor: Self.visitor)
        let full = try analyse(path, gate: false)
        let coasted = try analyse(path, gate: true)
        XCTAssertEqual(full.events.count, 4, "\(full.events)")
        assertSameEvents(coasted, full)
    }
}
