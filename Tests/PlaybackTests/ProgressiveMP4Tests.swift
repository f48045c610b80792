import Foundation
import Fragments
import Media
@testable import Playback
import TestSupport
import XCTest

/// Stored fragments laid out as a progressive MP4 (index first) that libavformat reads back
/// frame for frame, with the tracks' times running on from zero.
final class ProgressiveMP4Tests: XCTestCase {
    func testStoredFragmentsBecomeAProgressiveMP4WithEveryFrame() throws {
        let (initSegment, fragments) = try StoredMedia.fourSeconds()
        let records = fragments.enumerated().map { index, bytes in
            FragmentRecord(number: Int64(index + 1), streamID: 1, initID: 1, producerStart: Int64(index) * 2_000_000,
                           serverStart: 0, duration: 2_000_000, size: Int64(bytes.count), segment: "s", offset: 0, discontinuity: false)
        }
        let moofs = zip(records, fragments).map { record, bytes in
            (record: record, moof: Array(bytes.prefix(MP4Boxes.topLevel(bytes)[0].size)))
        }
        let file = try ProgressiveMP4(initSegment: initSegment, fragments: moofs)
        var bytes = file.header
        for chunk in file.chunks {
            XCTAssertEqual(chunk.offset, bytes.count)
            bytes += fragments[Int(chunk.fragment.number) - 1][chunk.range]
        }
        XCTAssertEqual(bytes.count, file.contentLength)
        XCTAssertEqual(MP4Boxes.topLevel(bytes).map(\.type), ["ftyp", "moov", "mdat"], "the index comes first")
        // The longest track: AAC's encoder adds priming and padding to the 4 s of video.
        XCTAssertEqual(file.duration, 4.1, accuracy: 0.1)

        let directory = TemporaryDirectory("clip")
        defer { directory.remove() }
        let path = directory.file("clip.mp4")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let demuxer = try Demuxer(url: path)
        defer { demuxer.close() }
        XCTAssertEqual(demuxer.streams.map(\.codecName), ["h264", "aac"])
        var video: [Int64] = [], keyFrames = 0, audio = 0
        while let packet = try demuxer.readPacket() {
            if packet.streamIndex == 0 {
                video.append(packet.dts ?? -1)
                if packet.isKeyFrame { keyFrames += 1 }
            } else {
                audio += 1
            }
        }
        XCTAssertEqual(video.count, 60)
        XCTAssertEqual(keyFrames, 2)
        XCTAssertGreaterThan(audio, 180)
        XCTAssertEqual(video, video.sorted(), "decode times increase")
        XCTAssertLessThanOrEqual(video.first ?? 1, 0, "the timeline starts at zero, not at the stored epoch times")
    }
}
