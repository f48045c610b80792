import Foundation
import Media
import TestSupport
import XCTest
@testable import VideoIngest

/// Codec parameters of an RTP video track from its parameter sets and one real key frame
/// (encoded by ffmpeg at test time), whether the SDP announced the sets or they came in band.
final class KeyFrameProbeTests: XCTestCase {
    /// The first frames of a 320x240 clip as an Annex B elementary stream (parameter sets in band).
    static func elementaryStream(_ codec: VideoCodec) throws -> [UInt8] {
        let directory = TemporaryDirectory("probe")
        defer { directory.remove() }
        let output = URL(fileURLWithPath: directory.file("clip.\(codec.rawValue)"))
        let encoder = codec == .h264 ? ["-c:v", "libx264", "-bf", "3"] : ["-c:v", "libx265", "-x265-params", "log-level=error:bframes=3"]
        try FFmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-frames:v", "8", "-pix_fmt", "yuv420p"]
                       + encoder + ["-f", codec.rawValue, output.path])
        return Array(try Data(contentsOf: output))
    }

    func testInBandParameterSetsDescribeTheTrack() throws {
        for codec in [VideoCodec.h264, .hevc] {
            let stream = try Self.elementaryStream(codec)
            let sets = ParameterSets.inBand(NALUnits.lengthPrefixed(stream, units: NALUnits.annexBRanges(stream)), codec: codec)
            XCTAssertFalse(sets.isEmpty)
            let parameters = try XCTUnwrap(KeyFrameProbe.parameters(codec: codec, extradata: sets, keyFrame: stream))
            XCTAssertEqual(parameters.codecName, codec.rawValue)
            XCTAssertEqual([parameters.width, parameters.height], [320, 240])
            XCTAssertGreaterThan(parameters.reorderDelay, 0, "\(codec): the encoder used B-frames")
        }
    }

    /// What an RTSP push stores: length-prefixed frames with the avcC/hvcC libavformat builds
    /// from the Annex B sets. A decoder given that record decodes the frames as they are.
    func testLengthPrefixedFramesDecodeWithTheDecoderConfigurationRecord() throws {
        for codec in [VideoCodec.h264, .hevc] {
            let stream = try Self.elementaryStream(codec)
            let units = NALUnits.annexBRanges(stream)
            let sets = NALUnits.annexB(stream, units: units.filter { ParameterSets.isParameterSet(stream[$0.lowerBound], codec: codec) })
            let probed = try XCTUnwrap(KeyFrameProbe.parameters(codec: codec, extradata: sets, keyFrame: stream))
            let stored = try DecoderConfigurationRecord.lengthPrefixed(probed)
            XCTAssertEqual(stored.extradata.first, 1, "\(codec): a configuration record (version 1), not start codes")
            XCTAssertEqual([stored.width, stored.height], [320, 240])
            let decoder = try VideoDecoder(parameters: stored, skipLoopFilter: true)
            let packet = try Packet(copying: NALUnits.lengthPrefixed(stream, units: units))
            packet.isKeyFrame = true
            var pictures = 0
            try decoder.decode(packet) { _ in pictures += 1 }
            try decoder.decode(nil) { _ in pictures += 1 }
            XCTAssertGreaterThan(pictures, 0, "\(codec): the length-prefixed frames decode")
        }
    }

    func testNALUnitsAreFoundBetweenThreeAndFourByteStartCodes() {
        let sps: [UInt8] = [0x67, 1, 2], pps: [UInt8] = [0x68, 3], idr: [UInt8] = [0x65, 0, 0, 2, 9]
        let stream: [UInt8] = [0, 0, 0, 1] + sps + [0, 0, 1] + pps + [0, 0, 1] + idr
        let units = NALUnits.lengthPrefixed(stream, units: NALUnits.annexBRanges(stream))
        XCTAssertEqual(units, [sps, pps, idr].flatMap(H264DepacketizerTests.sized))
        XCTAssertEqual(NALUnits.annexB(units, units: NALUnits.lengthPrefixedRanges(units)),
                       [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps + [0, 0, 0, 1] + idr)
    }

    func testInBandParameterSetsAreTakenFromAnAccessUnitAsAnnexB() {
        let sps: [UInt8] = [0x67, 1, 2], pps: [UInt8] = [0x68, 3], idr: [UInt8] = [0x65, 0, 0, 2, 9]
        let unit = [sps, pps, idr].flatMap(H264DepacketizerTests.sized)
        XCTAssertEqual(ParameterSets.inBand(unit, codec: .h264), [0, 0, 0, 1] + sps + [0, 0, 0, 1] + pps)
        let vps: [UInt8] = [0x40, 1], slice: [UInt8] = [0x26, 1, 7]
        XCTAssertEqual(ParameterSets.inBand([vps, slice].flatMap(H264DepacketizerTests.sized), codec: .hevc), [0, 0, 0, 1] + vps)
        XCTAssertEqual(NALUnits.lengthPrefixedRanges([0, 0, 0, UInt8(unit.count + 2)] + unit), [],
                       "a length running past the end stops the walk")
    }

    func testGarbageDescribesNothingWithoutThrowing() throws {
        var generator = SeededGenerator(seed: 3)
        let noise = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        XCTAssertNil(try KeyFrameProbe.parameters(codec: .h264, extradata: [], keyFrame: [0, 0, 0, 1, 0x65] + noise))
        XCTAssertNil(try KeyFrameProbe.parameters(codec: .hevc, extradata: [0, 0, 1, 0x42] + noise.prefix(40), keyFrame: noise))
    }
}
