@testable import FrameAnalysis
import Media
import TestSupport
import XCTest

/// A fixed camera's clip (still bars, sensor noise, 2 s GOP, no B-frames) with something
/// overlaid, analysed with and without the decode gate: what the gate tests share.
class GatedClipTestCase: XCTestCase {
    struct Run {
        var events: [String]
        var skipped: Int
        var state: String
        var reason: String?
        var misses: Int
    }

    static let scene = "smptehdbars=size=320x180:rate=15"

    /// A dark 20x20 square: flat, so it codes cheaply when it moves.
    static let square = "color=c=0x303030:s=20x20:r=15"

    /// `visitor` (a lavfi source, shown negated) is placed by `overlay` over the scene.
    func clip(_ overlay: String, encode: [String], visitor: String = square) throws -> String {
        let directory = TemporaryDirectory("gate")
        addTeardownBlock { directory.remove() }
        let output = directory.file("clip.mp4")
        try FFmpeg.run(["-f", "lavfi", "-i", Self.scene, "-f", "lavfi", "-i", visitor,
                        "-filter_complex", "[1]lutyuv=y=negval[o];[0][o]\(overlay),noise=alls=6:allf=t+u:all_seed=3,format=yuv420p",
                        "-t", "30", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-sc_threshold", "0", "-bf", "0"]
                       + encode + [output])
        return output
    }

    static let variableBitrate = ["-crf", "23", "-maxrate", "400k", "-bufsize", "400k"]
    static let constantBitrate = ["-b:v", "400k", "-minrate", "400k", "-maxrate", "400k", "-bufsize", "400k",
                                  "-x264-params", "nal-hrd=cbr"]
    /// Constant bitrate without filler data, as many cameras send it.
    static let unpaddedConstantBitrate = ["-b:v", "400k", "-minrate", "400k", "-maxrate", "400k", "-bufsize", "400k"]

    func analyse(_ path: String, gate: Bool, sizesOnlySpikes: Bool = false, coast: Bool = true) throws -> Run {
        let demuxer = try Demuxer(url: path)
        defer { demuxer.close() }
        let video = try XCTUnwrap(demuxer.streams.first { $0.kind == .video })
        var settings = AnalysisSettings()
        settings.decodeGate = gate
        settings.coastThroughVisits = coast
        let pipeline = try AnalysisPipeline(streamName: "gate", parameters: try demuxer.codecParameters(of: video.index),
                                            settings: settings)
        if sizesOnlySpikes {
            // Only a picture 100× the quiet size opens a GOP: key frames alone must find changes.
            pipeline.gate = DecodeGate(configuration: .init(spreads: 1e9, spikeRatio: 100))
        }
        var events: [AnalysisEvent] = []
        while let packet = try demuxer.readPacket() {
            guard packet.streamIndex == video.index else { continue }
            packet.pts = packet.pts.map(video.microseconds)
            packet.dts = packet.dts.map(video.microseconds)
            // Arrival on the server a fixed second after the producer's clock: events found in
            // GOPs decoded late must still carry their frame's arrival.
            events += try pipeline.process(packet, serverTime: (packet.pts ?? 0) + 1_000_000)
        }
        events += pipeline.finish(now: 99_000_000)
        return Run(events: events.map { "\($0.kind.rawValue)@\($0.producerTime)+\($0.serverTime - $0.producerTime)" },
                   skipped: pipeline.picturesSkipped,
                   state: pipeline.gateState.state, reason: pipeline.gateState.reason, misses: pipeline.gateMisses)
    }

}

/// The decode gate on real encodes: a short visit inside one GOP, a long one, slow creeping
/// motion. Gated analysis must give exactly the events of decoding everything while leaving
/// quiet GOPs undecoded.
final class DecodeGatePipelineTests: GatedClipTestCase {
    /// A white square crossing in 1.2 s inside the GOP at 14–16 s, and again slowly 22–26 s.
    static let visits = "overlay=x='if(lt(t,20),20+(t-14.3)*150,20+(t-22)*60)':y=80:enable='between(t,14.3,15.5)+between(t,22,26)'"

    func testGatedAnalysisFindsEveryVisitWithFewerFramesDecoded() throws {
        let path = try clip(Self.visits, encode: Self.variableBitrate)
        let full = try analyse(path, gate: false)
        // Frame-exact without coasting through the 4 s visit (CoastThroughVisitsTests: ends
        // within 3 frames with it).
        let gated = try analyse(path, gate: true, coast: false)
        XCTAssertEqual(full.events.count, 4, "\(full.events)")
        XCTAssertEqual(gated.events, full.events, "same events, same frames")
        XCTAssertEqual(gated.state, "gating")
        XCTAssertGreaterThan(gated.skipped, 60, "quiet GOPs left undecoded")
        XCTAssertEqual(full.skipped, 0)
    }

    func testKeyFramesFindWhatTheSizesMissAndTheGOPsBeforeAreDecodedAtTheirOwnTimes() throws {
        let path = try clip(Self.visits, encode: Self.variableBitrate)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true, sizesOnlySpikes: true)
        // Both visits show only in key frames: the short one in the check 10 s after the last,
        // so the GOPs held since (over 100 packets) are decoded then, and its events must still
        // carry their own frames' arrival; the 4 s one spans key frames and starts on its frame.
        XCTAssertEqual(gated.events, full.events)
        XCTAssertGreaterThan(gated.misses, 0)
        XCTAssertGreaterThan(gated.skipped, 60)
    }

    func testAVisitorEnteringJustAfterAKeyFrameStartsOnTheSameFrameAsDecodingEverything() throws {
        // A dark square walks in from the left edge 0.1 s after the key frame at 18 s: decoding
        // starts at that key frame, and the motion detector must find the first sliver of it
        // against the background it had built before the skipped GOPs, as if it had watched them.
        let path = try clip("overlay=x='-20+(t-18.1)*40':y=80:enable='between(t,18.1,19.6)'", encode: Self.variableBitrate)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true)
        XCTAssertTrue(full.events.first?.hasPrefix("MOTION_START@18") ?? false, "\(full.events)")
        XCTAssertEqual(gated.events, full.events)
        XCTAssertGreaterThan(gated.skipped, 60)
    }

    func testAFadeStartingJustAfterAKeyFrameIsFoundWithTheLastCheckedPictureAsItsLeadIn() throws {
        // The fade shows in the sizes 0.1 s after the key frame at 18 s: the detectors need the
        // picture steady before it, which only the GOP before (not decoded) or the last checked
        // key frame (which matches) can give.
        let path = try clip("overlay=enable=0,fade=type=out:start_time=18.1:duration=1", encode: Self.variableBitrate)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true)
        XCTAssertTrue(full.events.contains { $0.hasPrefix("SCENE_CHANGE@18") }, "\(full.events)")
        XCTAssertEqual(gated.events, full.events)
        XCTAssertGreaterThan(gated.skipped, 60)
    }

    func testConstantBitrateDecodesEverythingAndSaysWhy() throws {
        let path = try clip(Self.visits, encode: Self.constantBitrate)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true)
        XCTAssertEqual(gated.events, full.events)
        XCTAssertEqual(gated.state, "decoding-all")
        XCTAssertTrue(gated.reason?.contains("constant bitrate") ?? false, gated.reason ?? "")
        XCTAssertEqual(gated.skipped, 0)
    }

    func testUnpaddedConstantBitrateDecodesEverythingAndSaysWhy() throws {
        // No filler data to tell: still pictures cost a third of a key frame here (at 720p the
        // share is lower and the swing of their sizes tells: DecodeGateTests). Either way the
        // visits (a 1.2 s one between key-frame checks) must not be left to the sizes.
        let path = try clip(Self.visits, encode: Self.unpaddedConstantBitrate)
        let full = try analyse(path, gate: false)
        let gated = try analyse(path, gate: true)
        XCTAssertEqual(gated.events, full.events)
        XCTAssertEqual(gated.state, "decoding-all", gated.reason ?? "")
        XCTAssertEqual(gated.skipped, 0)
    }
}
