import XCTest
@testable import FrameAnalysis

final class MotionDetectorTests: XCTestCase {
    /// 10 analysed frames per second, times in µs.
    private func time(_ frame: Int) -> Int64 { Int64(frame) * 100_000 }

    private func run(frames: Int, configuration: MotionDetector.Configuration = .init(),
                     make: (Int, inout SyntheticScene) -> GrayFrame) -> [MotionDetector.Transition] {
        var scene = SyntheticScene()
        var detector = MotionDetector(configuration: configuration)
        var transitions: [MotionDetector.Transition] = []
        for i in 0..<frames {
            if let t = detector.observe(make(i, &scene), at: time(i)) { transitions.append(t) }
        }
        if let t = detector.finish() { transitions.append(t) }
        return transitions
    }

    func testSmallObjectMovingFiresWithinHalfASecondAndEnds() {
        // 12 × 6 pixels = 0.5 % of the picture, moving 2 pixels per frame from frame 30 to 70.
        let transitions = run(frames: 120) { i, scene in
            var frame = scene.frame()
            if (30..<70).contains(i) {
                SyntheticScene.paint(&frame, x: 10 + (i - 30) * 2, y: 40, width: 12, height: 6, level: 230)
            }
            return frame
        }
        XCTAssertEqual(transitions.count, 2, "\(transitions)")
        guard case let .started(at, area, box)? = transitions.first, case let .ended(interval)? = transitions.last else {
            return XCTFail("expected start then end: \(transitions)")
        }
        XCTAssertGreaterThanOrEqual(at, time(30))
        XCTAssertLessThanOrEqual(at - time(30), 500_000, "onset within 0.5 s")
        XCTAssertGreaterThan(area, 0.002)
        XCTAssertEqual(box.top, 40.0 / 90, accuracy: 0.05)
        XCTAssertGreaterThanOrEqual(interval.end, time(65))
        XCTAssertLessThanOrEqual(interval.end, time(72))
        XCTAssertGreaterThan(interval.box.width, 70.0 / 160, "the box covers the path")
    }

    func testResumingAfterSkippedFramesComparesWithTheBackgroundBuiltBefore() {
        // Frames 30–81 are left out; an object that arrived in them sits in frame 82 and moves
        // 2 px a frame from there. Against the background built before the skip it is a whole
        // object moving from the first frame that can show movement (83); were frame 82 taken
        // as the background, only its edges would differ and the event would start later and
        // smaller; were frame 29 still taken as the last frame, it would "move" at 82.
        var scene = SyntheticScene()
        let frames: [GrayFrame] = (0..<130).map { i in
            var frame = scene.frame(noise: 3)
            if i >= 60 {
                let x = 40 + max(0, i - 82) * 2
                for y in 40..<48 {
                    for x in x..<(x + 12) where x < SyntheticScene.width {
                        frame[x, y] = UInt8(min(255, Int(frame[x, y]) + 60))
                    }
                }
            }
            return frame
        }
        var detector = MotionDetector()
        var start: (at: Int64, area: Double)?
        for (i, frame) in frames.enumerated() where !(30..<82).contains(i) {
            if i == 82 { detector.resume() }
            if case let .started(at, area, _)? = detector.observe(frame, at: time(i)), start == nil { start = (at, area) }
        }
        XCTAssertEqual(start?.at, time(83))
        XCTAssertGreaterThanOrEqual(start?.area ?? 0, 0.8 * 96 / Double(SyntheticScene.width * SyntheticScene.height),
                                    "the whole object, not its edges")
    }

    func testSensorNoiseAloneNeverFires() {
        XCTAssertEqual(run(frames: 300) { _, scene in scene.frame(noise: 4) }, [])
    }

    func testSlowBrightnessDriftDoesNotFire() {
        // 60 levels darker over 30 s, like dusk.
        XCTAssertEqual(run(frames: 300) { i, scene in scene.frame { $0 - Double(i) * 0.2 } }, [])
    }

    func testLightsSwitchingAndIRCutRebaseInsteadOfFiring() {
        // Lights dim over three frames (auto-exposure follows), then the IR-cut filter switches
        // the camera to a different-looking picture over two frames, then back.
        let transitions = run(frames: 200) { i, scene in
            switch i {
            case 50..<53: return scene.frame { $0 * (1 - 0.2 * Double(i - 49)) + 4 * Double(i - 49) }
            case 53..<100: return scene.frame { $0 * 0.4 + 12 }
            case 100: return scene.frame { ($0 * 0.4 + 12 + 255 - $0 * 0.8) / 2 }
            case 101..<150: return scene.frame { 255 - $0 * 0.8 }
            default: return scene.frame()
            }
        }
        XCTAssertEqual(transitions, [])
    }

    /// A 20 × 30 shape standing in the view starts creeping at 0.08 pixel per analysed frame (the
    /// edges drawn with their sub-pixel share): each frame differs from the last by less than the
    /// threshold, yet the motion is found within 0.5 s of its start.
    func testSlowCreepingMotionIsFoundWithinHalfASecond() {
        let transitions = run(frames: 150) { i, scene in
            var frame = scene.frame()
            let left = 40 + 0.08 * Double(max(0, i - 50))
            for y in 30..<60 {
                for x in Int(left)...(Int(left) + 20) where x < SyntheticScene.width {
                    // Coverage of pixel x by the span [left, left + 20).
                    let cover = max(0, min(Double(x + 1), left + 20) - max(Double(x), left))
                    frame[x, y] = UInt8((Double(frame[x, y]) * (1 - cover) + 235 * cover).rounded())
                }
            }
            return frame
        }
        guard case let .started(at, _, _)? = transitions.first else { return XCTFail("no motion: \(transitions)") }
        XCTAssertGreaterThanOrEqual(at, time(50))
        XCTAssertLessThanOrEqual(at - time(50), 500_000, "onset within 0.5 s")
    }

    func testBlinkingLEDOfAFewPixelsDoesNotFire() {
        XCTAssertEqual(run(frames: 200) { i, scene in
            var frame = scene.frame()
            if i % 10 < 5 { SyntheticScene.paint(&frame, x: 150, y: 5, width: 2, height: 2, level: 255) }
            return frame
        }, [])
    }

    func testMaskedRegionIsIgnored() {
        var configuration = MotionDetector.Configuration()
        configuration.mask = [[[0, 0.3], [1, 0.3], [1, 0.7], [0, 0.7]]]
        let transitions = run(frames: 100, configuration: configuration) { i, scene in
            var frame = scene.frame()
            if (20..<60).contains(i) { SyntheticScene.paint(&frame, x: 10 + i * 2, y: 40, width: 12, height: 6, level: 230) }
            return frame
        }
        XCTAssertEqual(transitions, [])
    }

    func testObjectThatStopsEndsTheEvent() {
        // Moves from frame 20 to 40, then stays parked for the rest.
        let transitions = run(frames: 200) { i, scene in
            var frame = scene.frame()
            if i >= 20 { SyntheticScene.paint(&frame, x: 10 + min(i - 20, 20) * 3, y: 30, width: 16, height: 10, level: 240) }
            return frame
        }
        guard case let .ended(interval)? = transitions.last, transitions.count == 2 else {
            return XCTFail("expected one event: \(transitions)")
        }
        XCTAssertLessThanOrEqual(interval.end, time(45), "a parked object is not motion")
    }

    func testSmallerThanMinimumAreaDoesNotFire() {
        var configuration = MotionDetector.Configuration()
        configuration.minArea = 0.02
        XCTAssertEqual(run(frames: 100, configuration: configuration) { i, scene in
            var frame = scene.frame()
            if (20..<60).contains(i) { SyntheticScene.paint(&frame, x: 10 + i * 2, y: 40, width: 12, height: 6, level: 230) }
            return frame
        }, [])
    }
}
