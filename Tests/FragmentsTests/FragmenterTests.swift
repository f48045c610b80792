import XCTest
@testable import Fragments

/// Packet sequences a camera might send, built by hand, and where the fragments must fall.
final class FragmenterTests: XCTestCase {
    let frame: Int64 = 66_667 // 15 fps in microseconds

    /// Video frames with a key frame every `gop` frames, decode order = presentation order.
    func video(frames: Int, gop: Int, start: Int64 = 0) -> [Fragmenter.Input] {
        (0..<frames).map { i in
            let t = start + Int64(i) * frame
            return .init(track: 0, isVideo: true, isKeyFrame: i % gop == 0, dts: t, pts: t, duration: frame)
        }
    }

    func run(_ inputs: [Fragmenter.Input], target: Int64 = 2_000_000, cap: Int64 = 10_000_000)
        -> (spans: [Fragmenter.Span], placements: [Fragmenter.Placement]) {
        var fragmenter = Fragmenter(configuration: .init(targetDuration: target, maxDuration: cap), hasVideo: true)
        var spans: [Fragmenter.Span] = []
        var placements: [Fragmenter.Placement] = []
        for input in inputs {
            let placement = fragmenter.place(input)
            if let closed = placement.closed { spans.append(closed) }
            placements.append(placement)
        }
        if let last = fragmenter.finish() { spans.append(last) }
        return (spans, placements)
    }

    func testTwoSecondGOPsMakeTwoSecondFragments() {
        let (spans, placements) = run(video(frames: 300, gop: 30))
        XCTAssertEqual(spans.count, 10)
        XCTAssertEqual(placements.filter { $0.action == .startFragment }.count, 10)
        for (i, span) in spans.enumerated() {
            XCTAssertEqual(span.start, Int64(i) * 30 * frame)
            XCTAssertEqual(span.duration, 30 * frame)
        }
    }

    func testShortGOPsAreGroupedUpToTheTarget() {
        // 1 s GOPs, 2 s target: each fragment holds two GOPs.
        let (spans, _) = run(video(frames: 150, gop: 15))
        XCTAssertEqual(spans.map(\.duration), Array(repeating: 30 * frame, count: 5))
    }

    func testLongGOPsMakeLongerFragmentsThatStillStartAtKeyFrames() {
        let inputs = video(frames: 135, gop: 45) // 3 s GOPs
        let (spans, placements) = run(inputs)
        XCTAssertEqual(spans.map(\.duration), [45 * frame, 45 * frame, 45 * frame])
        for (input, placement) in zip(inputs, placements) where placement.action == .startFragment {
            XCTAssertTrue(input.isKeyFrame)
        }
    }

    func testDurationsSumToTheStreamDuration() {
        let (spans, _) = run(video(frames: 299, gop: 30))
        XCTAssertEqual(spans.reduce(0) { $0 + $1.duration }, 299 * frame)
        for (a, b) in zip(spans, spans.dropFirst()) {
            XCTAssertEqual(a.start + a.duration, b.start, "fragments must be contiguous")
        }
    }

    func testFramesBeforeTheFirstKeyFrameAreDropped() {
        var inputs = video(frames: 60, gop: 30, start: 0)
        inputs[0].isKeyFrame = false // stream joined mid-GOP: frames 0..29 cannot be decoded
        let (spans, placements) = run(inputs)
        XCTAssertEqual(placements.prefix(30).filter { $0.action == .drop }.count, 30)
        XCTAssertEqual(spans.count, 1)
        XCTAssertEqual(spans[0].start, 0, "timeline starts at the first stored key frame")
    }

    func testBFramesKeepFragmentsOnKeyFramesAndDurationsFromPresentation() {
        // Decode order I P B B P B B ..., presentation lags decode by two frames except for I.
        var inputs: [Fragmenter.Input] = []
        for i in 0..<90 {
            let dts = Int64(i) * frame - 2 * frame
            let isKey = i % 30 == 0
            let pts = isKey ? dts + 2 * frame : dts + Int64([2, 0, 1][i % 3]) * frame
            inputs.append(.init(track: 0, isVideo: true, isKeyFrame: isKey, dts: dts, pts: pts, duration: frame))
        }
        let (spans, placements) = run(inputs)
        XCTAssertEqual(spans.count, 3)
        XCTAssertEqual(spans.map(\.start), [0, 30 * frame, 60 * frame])
        for (a, b) in zip(placements, placements.dropFirst()) where b.action != .drop {
            XCTAssertLessThan(a.dts, b.dts, "decode times must strictly increase")
        }
    }

    func testBackwardJumpIsRepairedAndMarkedAsDiscontinuity() {
        var inputs = video(frames: 60, gop: 30)
        inputs += video(frames: 60, gop: 30, start: 0) // the encoder restarted its clock
        let (spans, placements) = run(inputs)
        XCTAssertEqual(spans.count, 4)
        XCTAssertEqual(spans.map(\.discontinuity), [false, false, true, false])
        XCTAssertEqual(spans[2].start, 60 * frame, "the second run continues where the first ended")
        for (a, b) in zip(placements, placements.dropFirst()) { XCTAssertLessThan(a.dts, b.dts) }
    }

    func testForwardJumpBeyondThresholdIsRebased() {
        var inputs = video(frames: 30, gop: 30)
        inputs += video(frames: 30, gop: 30, start: 3_600_000_000) // an hour later
        let (spans, _) = run(inputs)
        XCTAssertEqual(spans.count, 2)
        XCTAssertEqual(spans[1].start, 30 * frame)
        XCTAssertTrue(spans[1].discontinuity)
    }

    func testMissingTimestampsAreInferred() {
        var inputs = video(frames: 60, gop: 30)
        inputs[10].dts = nil
        inputs[10].pts = nil
        let (_, placements) = run(inputs)
        XCTAssertEqual(placements[10].dts, 10 * frame)
    }

    func testAudioInterleavesWithoutStartingFragments() {
        let audioFrame: Int64 = 21_333
        var inputs: [Fragmenter.Input] = []
        // Audio arrives first; it cannot start a fragment and is dropped until the key frame.
        inputs.append(.init(track: 1, isVideo: false, isKeyFrame: true, dts: -40_000, pts: -40_000, duration: audioFrame))
        var audioTime: Int64 = 0
        for v in video(frames: 90, gop: 30) {
            inputs.append(v)
            while audioTime < (v.dts ?? 0) + frame {
                inputs.append(.init(track: 1, isVideo: false, isKeyFrame: true, dts: audioTime, pts: audioTime, duration: audioFrame))
                audioTime += audioFrame
            }
        }
        let (spans, placements) = run(inputs)
        XCTAssertEqual(placements[0].action, .drop)
        XCTAssertEqual(spans.count, 3)
        XCTAssertEqual(spans.map(\.duration), [30 * frame, 30 * frame, 30 * frame], "audio must not stretch fragments")
        for (input, placement) in zip(inputs, placements) where !input.isVideo {
            XCTAssertNotEqual(placement.action, .startFragment)
        }
    }

    func testGOPLongerThanTheCapIsCutAndResumesAtTheNextKeyFrame() {
        let inputs = video(frames: 450, gop: 225) // 15 s GOPs, 10 s cap
        let (spans, placements) = run(inputs)
        // Key frames at 0 and 225: each GOP is cut at 150 frames (10 s); frames 150-224 and 375-449 go.
        XCTAssertEqual(spans.count, 2)
        XCTAssertEqual(spans.map(\.duration), [150 * frame, 150 * frame])
        XCTAssertEqual(spans[1].start, 225 * frame)
        XCTAssertTrue(spans[1].discontinuity)
        XCTAssertEqual(placements.filter { $0.action == .drop }.count, 150)
    }
}

extension FragmenterTests {
    func testSmallBackwardStepsAreNudgedWithoutMovingTheTimeline() {
        // Matroska leaves the first decode times out: dts nil, nil, then 21 ms.
        var inputs = video(frames: 60, gop: 30, start: 21_000)
        inputs[0].dts = nil
        inputs[1].dts = nil
        inputs[1].pts = 221_000
        inputs[2].dts = 21_000 // steps back behind the inferred decode time
        for i in inputs.indices { inputs[i].tick = 1000 }
        var fragmenter = Fragmenter(configuration: .init(), hasVideo: true)
        let placements = inputs.map { fragmenter.place($0) }
        for (a, b) in zip(placements, placements.dropFirst()) {
            XCTAssertGreaterThanOrEqual(b.dts - a.dts, 1000, "decode times advance by at least one tick")
        }
        XCTAssertEqual(fragmenter.discontinuities, 0)
        XCTAssertEqual(placements[40].dts, inputs[40].dts, "later packets keep their own times")
    }
}
