import XCTest
@testable import Fragments

/// A producer that cuts its own fragments (PutMedia clusters): the stored fragments follow its
/// cuts wherever they fall on key frames, whatever videod's duration target.
final class ProducerBoundaryTests: XCTestCase {
    let frame: Int64 = 66_667

    func spans(_ inputs: [Fragmenter.Input]) -> [Fragmenter.Span] {
        var fragmenter = Fragmenter(configuration: .init(targetDuration: 2_000_000, maxDuration: 10_000_000), hasVideo: true)
        var spans = inputs.compactMap { fragmenter.place($0).closed }
        if let last = fragmenter.finish() { spans.append(last) }
        return spans
    }

    /// 15 fps, a key frame every `gop` frames; `starts` marks the frames that begin a producer fragment.
    func video(frames: Int, gop: Int, starts: Set<Int>) -> [Fragmenter.Input] {
        (0..<frames).map { i in
            let t = Int64(i) * frame
            return .init(track: 0, isVideo: true, isKeyFrame: i % gop == 0, dts: t, pts: t, duration: frame,
                         producerBoundary: starts.contains(i) ? .starts : .inside)
        }
    }

    func testOneSecondProducerFragmentsAreKeptThoughTheTargetIsTwo() {
        let cut = spans(video(frames: 90, gop: 15, starts: [0, 15, 30, 45, 60, 75]))
        XCTAssertEqual(cut.map(\.start), (0..<6).map { Int64($0) * 15 * frame })
    }

    func testKeyFramesInsideAProducerFragmentDoNotCut() {
        // 4 s producer fragments over 1 s GOPs: one stored fragment each.
        let cut = spans(video(frames: 120, gop: 15, starts: [0, 60]))
        XCTAssertEqual(cut.map(\.duration), [60 * frame, 60 * frame])
    }

    func testAProducerFragmentThatBeginsMidGOPJoinsTheOneBefore() {
        // The producer cut at frame 20, which is no key frame: nothing to start a fragment with.
        let cut = spans(video(frames: 60, gop: 15, starts: [0, 20, 30]))
        XCTAssertEqual(cut.map(\.start), [0, 30 * frame])
    }
}
