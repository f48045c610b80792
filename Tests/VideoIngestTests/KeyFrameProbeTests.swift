import Foundation
import Media
import XCTest
@testable import VideoIngest

/// Codec parameters of an RTP video track from its parameter sets and one real key frame
/// (encoded by ffmpeg at test time), whether the SDP announced the sets or they came in band.
final class KeyFrameProbeTests: XCTestCase {
    /// The first frames of a 320x240 clip as an Annex B elementary stream (parameter sets in band).
    static func elementaryStream(_ codec: VideoCodec) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).\(codec.rawValue)")
        defer { try? FileManager.default.removeItem(at: output) }
        let encoder = codec == .h264 ? ["-c:v", "libx264", "-bf", "3"] : ["-c:v", "libx265", "-x265-params", "log-level=error:bframes=3"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
                             "-frames:v", "8", "-pix_fmt", "yuv420p"] + encoder + ["-f", codec.rawValue, output.path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return Array(try Data(contentsOf: output))
    }

    func testInBandParameterSetsDescribeTheTrack() throws {
        for codec in [VideoCodec.h264, .hevc] {
            let stream = try Self.elementaryStream(codec)
            let sets = ParameterSets.inBand(stream, codec: codec)
            XCTAssertFalse(sets.isEmpty)
            let parameters = try XCTUnwrap(KeyFrameProbe.parameters(codec: codec, extradata: sets, keyFrame: stream))
            XCTAssertEqual(parameters.codecName, codec.rawValue)
            XCTAssertEqual([parameters.width, parameters.height], [320, 240])
            XCTAssertGreaterThan(parameters.reorderDelay, 0, "\(codec): the encoder used B-frames")
        }
    }

    func testParameterSetsAreFoundBetweenThreeAndFourByteStartCodes() {
        let sps: [UInt8] = [0x67, 1, 2], pps: [UInt8] = [0x68, 3], idr: [UInt8] = [0x65, 0, 0, 2, 9]
        let unit: [UInt8] = [0, 0, 0, 1] + sps + [0, 0, 1] + pps + [0, 0, 1] + idr
        XCTAssertEqual(ParameterSets.inBand(unit, codec: .h264), [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps)
        let vps: [UInt8] = [0x40, 1], slice: [UInt8] = [0x26, 1, 7]
        XCTAssertEqual(ParameterSets.inBand([0, 0, 1] + vps + [0, 0, 1] + slice, codec: .hevc), [0, 0, 0, 1] + vps)
    }

    func testGarbageDescribesNothingWithoutThrowing() throws {
        var generator = SeededGenerator(seed: 3)
        let noise = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertNil(try KeyFrameProbe.parameters(codec: .h264, extradata: [], keyFrame: [0, 0, 0, 1, 0x65] + noise))
        XCTAssertNil(try KeyFrameProbe.parameters(codec: .hevc, extradata: [0, 0, 1, 0x42] + noise.prefix(40), keyFrame: noise))
    }
}
