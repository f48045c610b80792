import Primitives
import XCTest
@testable import Fragments

/// Container timing that cannot be real (what a corrupt or hostile push sends): the fragmenter
/// neither traps nor lets it through; impossible times are treated as missing and inferred.
final class HostileTimingTests: XCTestCase {
    let frame: Int64 = 66_667

    func place(_ inputs: [Fragmenter.Input]) -> ([Fragmenter.Placement], [Fragmenter.Span]) {
        var fragmenter = Fragmenter(configuration: .init(), hasVideo: true)
        var spans: [Fragmenter.Span] = []
        let placements = inputs.map { input -> Fragmenter.Placement in
            let placement = fragmenter.place(input)
            if let closed = placement.closed { spans.append(closed) }
            return placement
        }
        if let last = fragmenter.finish() { spans.append(last) }
        return (placements, spans)
    }

    func testDecodeTimesSwingingBetweenTheEndsOfInt64AreInferred() {
        let extremes: [Int64] = [9_000_000_000_000_000_000, -9_000_000_000_000_000_000, Int64.max, Int64.min + 1]
        var inputs = (0..<60).map { i in
            Fragmenter.Input(track: 0, isVideo: true, isKeyFrame: i % 30 == 0, dts: Int64(i) * frame, pts: Int64(i) * frame,
                             duration: frame)
        }
        for (k, value) in extremes.enumerated() {
            inputs[10 + k].dts = value
            inputs[10 + k].pts = value
        }
        inputs[20].duration = Int64.max
        inputs[21].tick = Int64.max
        let (placements, spans) = place(inputs)
        for (k, _) in extremes.enumerated() {
            XCTAssertEqual(placements[10 + k].dts, Int64(10 + k) * frame, "inferred from the previous frame")
        }
        XCTAssertTrue(placements.allSatisfy { Timestamp.validRange.contains($0.dts) && Timestamp.validRange.contains($0.pts) })
        XCTAssertLessThanOrEqual(placements[20].duration, Fragmenter.Configuration().maxDuration)
        XCTAssertEqual(spans.count, 2)
        XCTAssertTrue(spans.allSatisfy { $0.duration <= Fragmenter.Configuration().maxDuration })
    }

    func testAPresentationTimeFarFromItsDecodeTimeIsNotBelieved() {
        var inputs = (0..<30).map { i in
            Fragmenter.Input(track: 0, isVideo: true, isKeyFrame: i == 0, dts: Int64(i) * frame, pts: Int64(i) * frame,
                             duration: frame)
        }
        inputs[5].pts = 1 << 52
        let (placements, _) = place(inputs)
        XCTAssertEqual(placements[5].pts, 5 * frame)
    }
}
