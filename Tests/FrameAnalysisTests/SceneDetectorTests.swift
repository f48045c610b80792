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
}
