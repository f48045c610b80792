import Foundation
import XCTest
import TestSupport
@testable import Media

/// A long fMP4 push is read by a chain of demuxers (one per few hundred `moof`s) so that libav's
/// per-fragment index does not grow for the push's life. The chain must give exactly the packets
/// one demuxer gives: same tracks, timestamps, durations, flags, bytes and input positions.
final class ChainedMP4DemuxerTests: XCTestCase {
    struct Seen: Equatable {
        let stream: Int
        let pts: Int64?
        let dts: Int64?
        let duration: Int64
        let key: Bool
        let data: [UInt8]
        let position: Int64?
    }

    /// 12 s of H.264 with B-frames (2 s GOP) and AAC, fragmented as `movflags` says.
    func clip(movflags: String) throws -> [UInt8] {
        let directory = TemporaryDirectory("chained")
        defer { directory.remove() }
        let output = directory.file("clip.mp4")
        try FFmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", "12", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
                        "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mp4", "-movflags", movflags, output])
        return Array(try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    func queue(_ bytes: [UInt8]) async -> ByteQueue {
        let queue = ByteQueue(capacity: bytes.count + 1)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 3000, bytes.count) // network-sized pieces
            await queue.write(Array(bytes[offset..<end]))
            offset = end
        }
        queue.finish()
        return queue
    }

    func packets(_ source: any PacketSource) throws -> [Seen] {
        var seen: [Seen] = []
        while let packet = try source.readPacket() {
            let data = Array(UnsafeBufferPointer(start: packet.pointer.pointee.data, count: packet.size))
            seen.append(Seen(stream: packet.streamIndex, pts: packet.pts, dts: packet.dts, duration: packet.duration,
                             key: packet.isKeyFrame, data: data, position: packet.position))
        }
        source.close()
        return seen
    }

    func assertChainMatchesOneDemuxer(_ bytes: [UInt8], moofsPerLeg: Int, expectLegs: ClosedRange<Int>,
                                      file: StaticString = #filePath, line: UInt = #line) async throws {
        let single = try packets(try Demuxer(source: await queue(bytes), formatName: "mp4"))
        let chained = try ChainedMP4Demuxer(source: await queue(bytes), moofsPerLeg: moofsPerLeg)
        XCTAssertEqual(chained.streams.count, 2, file: file, line: line)
        let chainedPackets = try packets(chained)
        XCTAssertTrue(expectLegs.contains(chained.legCount), "\(chained.legCount) legs", file: file, line: line)
        XCTAssertGreaterThan(single.count, 300, file: file, line: line)
        XCTAssertEqual(chainedPackets.count, single.count, file: file, line: line)
        for (index, (a, b)) in zip(chainedPackets, single).enumerated() where a != b {
            XCTFail("packet \(index) differs: \(describe(a)) vs \(describe(b))", file: file, line: line)
            break
        }
    }

    func describe(_ seen: Seen) -> String {
        "track \(seen.stream) pts \(seen.pts ?? -1) dts \(seen.dts ?? -1) duration \(seen.duration) key \(seen.key) "
            + "\(seen.data.count) bytes at \(seen.position ?? -1)"
    }

    func testOneMoofPerGOPGivesTheSamePacketsAcrossLegs() async throws {
        let bytes = try clip(movflags: "frag_keyframe+empty_moov+default_base_moof")
        try await assertChainMatchesOneDemuxer(bytes, moofsPerLeg: 2, expectLegs: 3...4)
    }

    func testOneMoofPerFrameGivesTheSamePacketsAcrossManyLegs() async throws {
        let bytes = try clip(movflags: "frag_every_frame+empty_moov+default_base_moof")
        try await assertChainMatchesOneDemuxer(bytes, moofsPerLeg: 25, expectLegs: 8...60)
    }

    /// Without `tfdt` a new demuxer could not know where time stands: the stream stays one leg.
    func testMoofsWithoutDecodeTimesAreNotCut() async throws {
        var bytes = try clip(movflags: "frag_keyframe+empty_moov+default_base_moof")
        let tfdt = Array("tfdt".utf8), free = Array("free".utf8)
        var renamed = 0
        for index in 0..<(bytes.count - 4) where Array(bytes[index..<index + 4]) == tfdt {
            bytes.replaceSubrange(index..<index + 4, with: free)
            renamed += 1
        }
        XCTAssertGreaterThan(renamed, 5)
        try await assertChainMatchesOneDemuxer(bytes, moofsPerLeg: 1, expectLegs: 1...1)
    }

    func testBoxHeadersOutsideTheSizesThisReaderFollows() {
        XCTAssertNil(BoxHeader([0, 0, 0, 0] + Array("mdat".utf8))) // size 0: to the end of the file
        XCTAssertNil(BoxHeader([0, 0, 0, 7] + Array("moof".utf8)))
        XCTAssertNil(BoxHeader([0, 0, 0, 1] + Array("mdat".utf8) + [0, 0, 0, 0, 0, 0, 0, 15]))
        XCTAssertEqual(BoxHeader([0, 0, 0, 1] + Array("mdat".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])?.size, UInt64.max)
        XCTAssertEqual(BoxHeader([0, 0, 1, 0] + Array("moof".utf8))?.size, 256)
    }

    /// A 64-bit box size near `Int.max` ends the walk instead of overflowing the offset.
    func testHugeLargeSizeStopsTheBoxWalk() {
        let bytes: [UInt8] = [0, 0, 0, 16] + Array("ftyp".utf8) + [UInt8](repeating: 0, count: 8)
            + [0, 0, 0, 1] + Array("mdat".utf8) + [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0] + [1, 2, 3]
        XCTAssertEqual(MP4Boxes.topLevel(bytes).map(\.type), ["ftyp"])
    }
}
