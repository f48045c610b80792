import XCTest
@testable import FrameAnalysis

/// `MotionDetector.presence` and `coast`: what a key frame decoded alone shows against the
/// background, and an open event carried over pictures left undecoded.
final class MotionPresenceTests: XCTestCase {
    /// A detector that watched 30 frames (3 s) of the still scene.
    private func watched(_ scene: inout SyntheticScene) -> MotionDetector {
        var detector = MotionDetector()
        for i in 0..<30 { _ = detector.observe(scene.frame(), at: Int64(i) * 100_000) }
        return detector
    }

    func testAnObjectStandingInTheViewIsPresentWhereItIsAndTheStillViewIsNot() throws {
        var scene = SyntheticScene()
        let detector = watched(&scene)
        XCTAssertNil(detector.presence(in: scene.frame()), "noise alone")
        var frame = scene.frame()
        SyntheticScene.paint(&frame, x: 100, y: 30, width: 16, height: 12, level: 230)
        let seen = try XCTUnwrap(detector.presence(in: frame))
        XCTAssertEqual(seen.area, 16.0 * 12 / Double(frame.count), accuracy: 0.004)
        XCTAssertEqual(seen.box.left, 100.0 / 160, accuracy: 0.02)
        XCTAssertEqual(seen.box.top, 30.0 / 90, accuracy: 0.03)
    }

    func testAnotherViewIsNotAVisitor() {
        var scene = SyntheticScene()
        let detector = watched(&scene)
        // The picture inverted (a cut, the camera turned): most of it differs.
        var frame = scene.frame()
        frame.pixels = frame.pixels.map { 255 - $0 }
        XCTAssertNil(detector.presence(in: frame))
    }

    func testCoastingCarriesAnOpenEventToTheLastPictureLeftUndecoded() throws {
        var scene = SyntheticScene()
        var detector = watched(&scene)
        XCTAssertFalse(detector.coast(through: 5_000_000, area: 0.01, box: BoundingBox(minX: 0, minY: 0, maxX: 9, maxY: 9, width: 160, height: 90)),
                       "no event open")
        var started = false
        for i in 30..<40 {
            var frame = scene.frame()
            SyntheticScene.paint(&frame, x: 10 + (i - 30) * 3, y: 40, width: 12, height: 8, level: 230)
            if case .started? = detector.observe(frame, at: Int64(i) * 100_000) { started = true }
        }
        XCTAssertTrue(started)
        let far = BoundingBox(minX: 140, minY: 70, maxX: 159, maxY: 89, width: 160, height: 90)
        XCTAssertTrue(detector.coast(through: 6_000_000, area: 0.3, box: far))
        // Still pictures from 6.1 s: the event ends 2 s after the coasted end, not after 3.9 s.
        var ended: MotionDetector.Interval?
        for i in 61..<100 {
            if case let .ended(interval)? = detector.observe(scene.frame(), at: Int64(i) * 100_000) { ended = interval; break }
        }
        let interval = try XCTUnwrap(ended)
        XCTAssertEqual(interval.end, 6_000_000)
        XCTAssertEqual(interval.peakArea, 0.3)
        XCTAssertEqual(interval.box.left + interval.box.width, 1, accuracy: 0.01, "the box reaches the coasted one")
    }
}
