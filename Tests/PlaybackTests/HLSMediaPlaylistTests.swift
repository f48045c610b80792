import Fragments
import Playback
import XCTest

/// Media playlists over stored fragments: durations, a new map and a discontinuity where the
/// init segment changes, discontinuities as the mode asks, and an end for ON_DEMAND.
final class HLSMediaPlaylistTests: XCTestCase {
    func fragment(_ number: Int64, start: Int64, duration: Int64 = 2_000_000, initID: Int64 = 1) -> FragmentRecord {
        FragmentRecord(number: number, streamID: 1, initID: initID, producerStart: start, serverStart: start, duration: duration,
                       size: 1000, segment: "s", offset: 0, discontinuity: false)
    }

    func playlist(_ fragments: [FragmentRecord], _ mode: HLSMediaPlaylist.Discontinuities, ended: Bool = true) -> String {
        HLSMediaPlaylist(fragments: fragments, mediaSequence: 4, discontinuities: mode, showsProgramDateTime: false, ended: ended,
                         initURI: { "init?f=\($0.number)" }, segmentURI: { "seg?f=\($0.number)" }).text
    }

    func testSegmentsMapsAndGaps() {
        // 1 and 2 touch; 3 follows a 5 s gap; 4 has another init segment.
        let fragments = [fragment(1, start: 0), fragment(2, start: 2_000_000), fragment(3, start: 9_000_000, duration: 2_500_000),
                         fragment(4, start: 11_500_000, initID: 2)]
        let text = playlist(fragments, .onGap)
        XCTAssertTrue(text.hasPrefix("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:3\n#EXT-X-MEDIA-SEQUENCE:4\n"))
        XCTAssertEqual(text.components(separatedBy: "#EXTINF:").count - 1, 4)
        XCTAssertTrue(text.contains("#EXTINF:2.500,\nseg?f=3"))
        XCTAssertEqual(text.components(separatedBy: "#EXT-X-DISCONTINUITY\n").count - 1, 2, "at the gap and at the new init")
        XCTAssertTrue(text.contains("#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"init?f=4\"\n"))
        XCTAssertTrue(text.hasSuffix("#EXT-X-ENDLIST\n"))
        XCTAssertEqual(playlist(fragments, .never).components(separatedBy: "#EXT-X-DISCONTINUITY\n").count - 1, 1,
                       "only where the init segment changes")
        XCTAssertEqual(playlist(fragments, .always).components(separatedBy: "#EXT-X-DISCONTINUITY\n").count - 1, 3)
        XCTAssertFalse(playlist(fragments, .never, ended: false).contains("ENDLIST"))
    }
}
