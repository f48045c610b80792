import XCTest
@testable import FrameAnalysis

final class SceneDetectorTests: XCTestCase {
    /// 25 frames per second.
    private func time(_ frame: Int) -> Int64 { Int64(frame) * 40_000 }

    private func cuts(frames: Int, make: (Int, inout SyntheticScene) -> GrayFrame) -> [SceneDetector.Cut] {
        var scene = SyntheticScene()
        var detector = SceneDetector()
        return (0..<frames).compactMap { detector.observe(make($0, &scene), at: time($0)) }
    }

    /// A different picture: the background mirrored and inverted.
    private func otherView(_ frame: GrayFrame) -> GrayFrame {
        var other = frame
        for y in 0..<frame.height {
            for x in 0..<frame.width { other[x, y] = 255 - frame[frame.width - 1 - x, y] }
        }
        return other
    }

    func testCutIsPlacedOnTheFirstFrameOfTheNewView() {
        let found = cuts(frames: 100) { i, scene in i < 40 ? scene.frame() : otherView(scene.frame()) }
        XCTAssertEqual(found.map(\.time), [time(40)])
        XCTAssertGreaterThan(found.first?.score ?? 0, 3)
    }

    func testCameraCoveredIsACut() {
        let found = cuts(frames: 80) { i, scene in i < 30 ? scene.frame() : scene.frame { _ in 8 } }
        XCTAssertEqual(found.map(\.time), [time(30)])
    }

    func testFlashIsNotACut() {
        XCTAssertEqual(cuts(frames: 80) { i, scene in
            (30...31).contains(i) ? scene.frame { min(255, $0 * 2 + 60) } : scene.frame()
        }, [])
    }

    /// A static camera in a room whose light goes off (a fifth of the light left) and on again,
    /// then dims by half: the view never changes, so there is no cut.
    func testLightsSwitchedOffAndOnAreNotCuts() {
        XCTAssertEqual(cuts(frames: 120) { i, scene in
            switch i {
            case 30..<60: return scene.frame { $0 * 0.2 + 4 }
            case 90...: return scene.frame { $0 * 0.5 }
            default: return scene.frame()
            }
        }.map(\.time), [])
    }

    /// The same light step with the view changed at the same moment is still a cut.
    func testACutUnderNewLightIsStillACut() {
        let found = cuts(frames: 80) { i, scene in i < 40 ? scene.frame() : otherView(scene.frame { $0 * 0.5 }) }
        XCTAssertEqual(found.map(\.time), [time(40)])
    }

    func testFastMotionInsideTheViewIsNotACut() {
        XCTAssertEqual(cuts(frames: 100) { i, scene in
            var frame = scene.frame()
            if i >= 20 { SyntheticScene.paint(&frame, x: (i * 13) % 120, y: 10, width: 40, height: 60, level: 250) }
            return frame
        }, [])
    }

    func testSlowPanIsNotACut() {
        XCTAssertEqual(cuts(frames: 120) { i, scene in
            let frame = scene.frame()
            var panned = frame
            let shift = i / 2
            for y in 0..<frame.height {
                for x in 0..<frame.width { panned[x, y] = frame[(x + shift) % frame.width, y] }
            }
            return panned
        }, [])
    }

    func testTwoCutsBackToBackAreBothFound() {
        let found = cuts(frames: 120) { i, scene in
            switch i {
            case 0..<40: return scene.frame()
            case 40..<80: return otherView(scene.frame())
            default: return scene.frame { _ in 20 }
            }
        }
        XCTAssertEqual(found.map(\.time), [time(40), time(80)])
    }

    // MARK: gradual transitions (25 fps: frame i is at i × 40 ms)

    /// Pixel by pixel (1 − w)·a + w·b.
    private func blend(_ a: GrayFrame, _ b: GrayFrame, _ w: Double) -> GrayFrame {
        var out = a
        for i in 0..<a.pixels.count { out.pixels[i] = UInt8((Double(a.pixels[i]) * (1 - w) + Double(b.pixels[i]) * w).rounded()) }
        return out
    }

    /// `from` before frame `start`, `to` after `start + length`, `between(w)` in the middle.
    private func transition(start: Int, length: Int, between: @escaping (GrayFrame, GrayFrame, Double) -> GrayFrame) -> [SceneDetector.Cut] {
        cuts(frames: 150) { i, scene in
            let before = scene.frame(), after = otherView(scene.frame())
            if i < start { return before }
            if i >= start + length { return after }
            return between(before, after, Double(i - start) / Double(length))
        }
    }

    func testADissolveIsOneGradualTransitionFromItsStartToItsEnd() {
        let found = transition(start: 40, length: 25) { a, b, w in self.blend(a, b, w) }
        XCTAssertEqual(found.map(\.transition), [.gradual])
        XCTAssertEqual(Double(found.first?.time ?? 0), Double(time(40)), accuracy: 80_000)
        XCTAssertEqual(Double(found.first?.end ?? 0), Double(time(65)), accuracy: 80_000)
    }

    func testAFadeThroughBlackIsOneGradualTransition() {
        let black = GrayFrame(width: SyntheticScene.width, height: SyntheticScene.height, fill: 16)
        let found = transition(start: 50, length: 30) { a, b, w in
            w < 0.5 ? self.blend(a, black, w * 2) : self.blend(black, b, w * 2 - 1)
        }
        XCTAssertEqual(found.map(\.transition), [.gradual])
        XCTAssertEqual(Double(found.first?.time ?? 0), Double(time(50)), accuracy: 80_000)
    }

    /// The light dims over a second: the same view, no transition.
    func testASlowLightChangeIsNoTransition() {
        XCTAssertEqual(cuts(frames: 150) { i, scene in
            let level = i < 40 ? 1.0 : (i < 65 ? 1.0 - 0.6 * Double(i - 40) / 25 : 0.4)
            return scene.frame { $0 * level }
        }, [])
    }

    /// A large object slides in over a second and stops: motion, not a transition.
    func testAnObjectSlidingInIsNoTransition() {
        XCTAssertEqual(cuts(frames: 150) { i, scene in
            var frame = scene.frame()
            let x = i < 40 ? -100 : (i < 65 ? -100 + (i - 40) * 4 : 0)
            SyntheticScene.paint(&frame, x: x, y: 0, width: 100, height: 90, level: 235)
            return frame
        }, [])
    }

    func testAHardCutIsNotAlsoReportedAsGradual() {
        let found = cuts(frames: 150) { i, scene in i < 40 ? scene.frame() : otherView(scene.frame()) }
        XCTAssertEqual(found.map(\.transition), [.cut])
    }
}
