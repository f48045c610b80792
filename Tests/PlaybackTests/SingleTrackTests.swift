import Foundation
import Media
import Playback
import TestSupport
import XCTest

/// Each track taken out of a muxed stored fragment plays on its own: only its samples, every one.
final class SingleTrackTests: XCTestCase {
    func testEachTrackOnItsOwn() throws {
        let (initSegment, fragments) = try StoredMedia.fourSeconds()
        let directory = TemporaryDirectory("single")
        defer { directory.remove() }
        for (trackID, codec) in [(UInt32(1), "h264"), (UInt32(2), "aac")] {
            var file = try XCTUnwrap(SingleTrack.initSegment(initSegment, trackID: trackID))
            for fragment in fragments { file += try XCTUnwrap(SingleTrack.fragment(fragment, trackID: trackID)) }
            let expected = fragments.flatMap { MP4Sample.samples(fragment: $0) }.filter { $0.trackID == trackID }
            let path = directory.file("track\(trackID).mp4")
            try Data(file).write(to: URL(fileURLWithPath: path))
            let demuxer = try Demuxer(url: path)
            defer { demuxer.close() }
            XCTAssertEqual(demuxer.streams.map(\.codecName), [codec])
            var sizes: [Int] = []
            while let packet = try demuxer.readPacket() { sizes.append(packet.size) }
            XCTAssertEqual(sizes, expected.map(\.range.count), "every sample of the track, in order")
        }
        XCTAssertNil(SingleTrack.fragment(fragments[0], trackID: 9))
        XCTAssertNil(SingleTrack.initSegment(initSegment, trackID: 9))
    }
}
