import Foundation
import Media
import Playback
import TestSupport
import XCTest

/// Stored fMP4 (as ffmpeg's muxer writes it, which is what videod stores) read back as tracks
/// and samples, and rewritten as GetMedia's Matroska documents that libavformat reads again.
final class MatroskaDocumentTests: XCTestCase {
    func stored() throws -> (initSegment: [UInt8], fragments: [[UInt8]]) { try StoredMedia.fourSeconds() }

    func testTracksAndSamplesAreReadFromStoredFragments() throws {
        let (initSegment, fragments) = try stored()
        let tracks = MP4Track.tracks(initSegment: initSegment)
        XCTAssertEqual(tracks.map(\.format), ["avc1", "mp4a"])
        XCTAssertEqual(tracks[0].width, 320)
        XCTAssertEqual(tracks[0].height, 240)
        XCTAssertEqual(tracks[0].codecPrivate.first, 1, "an avcC record (configurationVersion 1)")
        XCTAssertEqual(tracks[1].sampleRate, 48000)
        XCTAssertEqual(tracks[1].channels, 1, "from the AudioSpecificConfig, not the sample entry's fixed 2")
        XCTAssertEqual(tracks[1].codecPrivate.prefix(1), [0x11], "AAC-LC's AudioSpecificConfig (object type 2, 48 kHz)")
        let samples = fragments.flatMap { MP4Sample.samples(fragment: $0) }
        let video = samples.filter { $0.trackID == tracks[0].id }
        XCTAssertEqual(video.count, 60)
        XCTAssertEqual(video.filter(\.isSync).count, 2)
        XCTAssertGreaterThan(samples.count - video.count, 180, "about 188 AAC frames in 4 s")
        // Decode times run on without gaps across fragments.
        for (a, b) in zip(video, video.dropFirst()) { XCTAssertEqual(a.decodeTime + UInt64(a.duration), b.decodeTime) }
    }

    func testDocumentsDecodeToEveryFrameWithTheirTags() throws {
        let (initSegment, fragments) = try stored()
        let tracks = MP4Track.tracks(initSegment: initSegment)
        var output: [UInt8] = []
        for (index, fragment) in fragments.enumerated() {
            let document = try MatroskaDocument.make(tracks: tracks, fragment: fragment, producerStart: Int64(index) * 2_000_000,
                                                     tagsBefore: [("AWS_KINESISVIDEO_FRAGMENT_NUMBER", "\(index + 1)")], tagsAfter: [])
            XCTAssertEqual(Array(document.prefix(4)), [0x1A, 0x45, 0xDF, 0xA3])
            let tag = Array("AWS_KINESISVIDEO_FRAGMENT_NUMBER".utf8)
            XCTAssertNotNil(document.indices.first { document[$0...].starts(with: tag) })
            output += document
        }
        let directory = TemporaryDirectory("mkv")
        defer { directory.remove() }
        let path = directory.file("media.mkv")
        try Data(output).write(to: URL(fileURLWithPath: path))
        let demuxer = try Demuxer(url: path)
        defer { demuxer.close() }
        XCTAssertEqual(demuxer.streams.map(\.codecName), ["h264", "aac"])
        var videoPackets = 0, keyFrames = 0
        while let packet = try demuxer.readPacket() {
            if packet.streamIndex == 0 {
                videoPackets += 1
                if packet.isKeyFrame { keyFrames += 1 }
            }
        }
        XCTAssertEqual(videoPackets, 60)
        XCTAssertEqual(keyFrames, 2)
    }

    /// A damaged stored fragment whose video decode time sits at the top of Int64 (the sample
    /// times then wrap to the bottom) must not trap the server: those blocks are dropped, the
    /// rest of the document is served.
    func testDecodeTimesAtTheEdgeOfInt64DoNotTrap() throws {
        let (initSegment, fragments) = try stored()
        let tracks = MP4Track.tracks(initSegment: initSegment)
        var damaged = fragments[0]
        let tfdt = try XCTUnwrap(damaged.indices.first { damaged[$0...].starts(with: Array("tfdt".utf8)) })
        XCTAssertEqual(damaged[tfdt + 4], 1, "a 64-bit tfdt (version 1)")
        for offset in 0..<8 { damaged[tfdt + 8 + offset] = offset == 0 ? 0x7F : 0xFF }
        let healthy = try MatroskaDocument.make(tracks: tracks, fragment: fragments[0], producerStart: 1_795_712_400_000_000,
                                                tagsBefore: [], tagsAfter: [])
        let document = try MatroskaDocument.make(tracks: tracks, fragment: damaged, producerStart: 1_795_712_400_000_000,
                                                 tagsBefore: [], tagsAfter: [])
        XCTAssertEqual(Array(document.prefix(4)), [0x1A, 0x45, 0xDF, 0xA3])
        XCTAssertLessThan(document.count, healthy.count, "the video blocks whose times overflow are left out")
        XCTAssertGreaterThan(document.count, 1000, "the audio blocks are kept")
    }

    func testKVSTimestampsAreSecondsWithMilliseconds() {
        XCTAssertEqual(MatroskaDocument.seconds(1_527_325_436_792_123), "1527325436.792")
        XCTAssertEqual(MatroskaDocument.seconds(1_527_325_436_002_000), "1527325436.002")
    }
}
