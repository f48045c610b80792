import Foundation
import Media
import XCTest
@testable import VideoIngest

/// Access units to packets, with a real x264 key frame (B-frames, so the first video frames are
/// held back for their decode times, and audio queues behind them).
final class RTPPacketSourceTests: XCTestCase {
    func testAudioBehindHeldVideoIsBoundedWhenVideoStops() async throws {
        let stream = try KeyFrameProbeTests.elementaryStream(.h264)
        let keyFrame = NALUnits.lengthPrefixed(stream, units: NALUnits.annexBRanges(stream))
        let source = RTPPacketSource(
            tracks: [.init(format: .video(.h264, parameterSets: []), clockRate: 90000),
                     .init(format: .aac(config: [0x11, 0x90], sampleRate: 48000, channels: 2), clockRate: 48000)],
            capacity: 1 << 20)
        // One video frame, then only audio: the stream never sends the frames the video waits for.
        let audio = RTPPacketSource.maxAudioBehindVideo + 20
        await source.queue.write([TimedAccessUnit(track: 0, pts: 0, isKeyFrame: true, data: keyFrame)]
            + (0..<audio).map { TimedAccessUnit(track: 1, pts: Int64($0) * 1024, isKeyFrame: true, data: [0x21, 0x10, 0x04]) })
        try source.open()
        XCTAssertEqual(source.streams.map(\.codecName), ["h264", "aac"])

        // The queue stays open (a live push): everything must come out without waiting for its end.
        let read = NSLock()
        nonisolated(unsafe) var tracks: [Int] = []
        let reader = Thread {
            while let packet = try? source.readPacket() {
                read.withLock { tracks.append(packet.streamIndex) }
            }
        }
        reader.start()
        let deadline = Date().addingTimeInterval(10)
        while read.withLock({ tracks.count }) < audio + 1 && Date() < deadline { usleep(10_000) }
        let seen = read.withLock { tracks }
        source.queue.finish()
        XCTAssertEqual(seen.count, audio + 1, "the held video frame and all audio came out while the push was live")
        XCTAssertEqual(seen.first, 0, "the video frame comes out before the audio queued behind it")
    }
}
