import Foundation
import Media
@testable import Playback
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

extension SingleTrackTests {
    /// Runs pointing at the same bytes (a damaged file) would make a cut larger than the fragment
    /// (on a large one, past what 32-bit offsets hold): it is refused.
    func testOverlappingRunsAreRefused() {
        func fragment(runs: Int) -> [UInt8] {
            var moof = MP4Writer()
            moof.box("moof") { m in
                m.fullBox("mfhd") { $0.u32(1) }
                m.box("traf") { t in
                    t.fullBox("tfhd") { $0.u32(1) }
                    for _ in 0..<runs { t.fullBox("trun", flags: 0x201) { $0.u32(1); $0.i32(0); $0.u32(100) } }
                }
            }
            // The first run points at the mdat payload; each later one back at the same bytes
            // (an offset counts from where the run before ended).
            var bytes = moof.bytes
            var offset = Int32(bytes.count + 8)
            for index in 0..<(bytes.count - 4) where bytes[index..<(index + 4)] == [0x74, 0x72, 0x75, 0x6E] {
                let value = UInt32(bitPattern: offset)
                for byte in 0..<4 { bytes[index + 12 + byte] = UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * byte)) }
                offset = -100
            }
            return bytes + [0, 0, 0, 108] + Array("mdat".utf8) + [UInt8](repeating: 7, count: 100)
        }
        XCTAssertEqual(SingleTrack.fragment(fragment(runs: 1), trackID: 1)?.suffix(100), ArraySlice(repeating: 7, count: 100))
        XCTAssertNil(SingleTrack.fragment(fragment(runs: 3), trackID: 1))
    }
}
