import Foundation
import TestSupport
import XCTest
@testable import VideoIngest

/// Finding PutMedia's fragments (Matroska clusters) in a byte stream that arrives in pieces.
final class MatroskaClusterScannerTests: XCTestCase {
    /// An element: ID bytes, then a size (8-byte form; nil writes "unknown"), then the data.
    static func element(_ id: [UInt8], _ data: [UInt8], unknownSize: Bool = false) -> [UInt8] {
        let size: [UInt8] = unknownSize ? [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
            : [0x01] + withUnsafeBytes(of: UInt64(data.count).bigEndian) { Array($0.dropFirst()) }
        return id + size + data
    }

    static func cluster(_ timecode: UInt16, blocks: Int, unknownSize: Bool) -> [UInt8] {
        let block = element([0xA3], [0x81, 0, 0, 0x80] + [UInt8](repeating: 9, count: 100))
        return element([0x1F, 0x43, 0xB6, 0x75], element([0xE7], [UInt8(timecode >> 8), UInt8(timecode & 0xFF)])
                       + Array((0..<blocks).map { _ in block }.joined()), unknownSize: unknownSize)
    }

    /// A live producer's stream: unknown-size Segment and Clusters, Tags between them.
    static let live: [UInt8] = element([0x1A, 0x45, 0xDF, 0xA3], [0x42, 0x82, 0x88] + Array("matroska".utf8))
        + element([0x18, 0x53, 0x80, 0x67],
                  element([0x15, 0x49, 0xA9, 0x66], [0x2A, 0xD7, 0xB1, 0x83, 0x0F, 0x42, 0x40])
                  + element([0x16, 0x54, 0xAE, 0x6B], [0xAE, 0x80])
                  + cluster(0, blocks: 3, unknownSize: true)
                  + element([0x12, 0x54, 0xC3, 0x67], [0x73, 0x73, 0x80])
                  + cluster(2000, blocks: 2, unknownSize: true)
                  + cluster(4000, blocks: 1, unknownSize: false), unknownSize: true)

    func scan(_ bytes: [UInt8], pieces: [Int]) throws -> [MatroskaClusterScanner.Event] {
        var scanner = MatroskaClusterScanner()
        var events: [MatroskaClusterScanner.Event] = []
        var offset = 0
        var piece = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieces[piece % pieces.count])
            events += try scanner.consume(bytes[offset..<end])
            offset = end
            piece += 1
        }
        return events + (try scanner.finish())
    }

    func testClustersAndTheirTimecodesWhateverThePieces() throws {
        let expected: [MatroskaClusterScanner.Event] = [
            // A cluster's header is 12 bytes, its Timecode 11, each block 113; the first starts after
            // the EBML header (23), the Segment's header (12), Info (19) and Tracks (14), the second
            // after Tags (15) too.
            .clusterStarted(timecode: 0, offset: 68), .clusterEnded(timecode: 0, bytes: 12 + 11 + 3 * 113),
            .clusterStarted(timecode: 2000, offset: 68 + 362 + 15), .clusterEnded(timecode: 2000, bytes: 12 + 11 + 2 * 113),
            .clusterStarted(timecode: 4000, offset: 68 + 362 + 15 + 249), .clusterEnded(timecode: 4000, bytes: 12 + 11 + 113),
        ]
        XCTAssertEqual(try scan(Self.live, pieces: [Self.live.count]), expected)
        XCTAssertEqual(try scan(Self.live, pieces: [1]), expected, "a byte at a time")
        var generator = SeededGenerator(seed: 5)
        XCTAssertEqual(try scan(Self.live, pieces: (0..<50).map { _ in Int.random(in: 1...40, using: &generator) }), expected)
    }

    func testWhatFFmpegWritesForAPushAlignsClustersWithItsTwoSecondGOPs() throws {
        let directory = TemporaryDirectory("mkv")
        defer { directory.remove() }
        let output = directory.file("clip.mkv")
        try FFmpeg.run(["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=15", "-t", "6", "-c:v", "libx264", "-g", "30",
                        "-keyint_min", "30", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-f", "matroska",
                        "-cluster_time_limit", "2000", output])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: output)))
        let events = try scan(bytes, pieces: [4096, 333, 17])
        let starts = events.compactMap { event -> UInt64? in
            if case .clusterStarted(let timecode, _) = event { return timecode }
            return nil
        }
        XCTAssertEqual(starts, [0, 2000, 4000], "one cluster per 2 s GOP, timecodes in milliseconds")
        XCTAssertEqual(events.count, 6)
    }

    func testWhatIsNotAPushableMatroskaStreamIsRefused() {
        var garbage = MatroskaClusterScanner()
        XCTAssertThrowsError(try garbage.consume([0x00, 0x01, 0x02]))
        XCTAssertThrowsError(try scan(Self.live + Self.element([0x18, 0x53, 0x80, 0x67], []), pieces: [100]), "a second Segment")
        var small = MatroskaClusterScanner(maxClusterBytes: 200)
        XCTAssertThrowsError(try small.consume(Self.live)) { error in
            guard case MatroskaClusterScanner.Failure.clusterTooLarge = error else { return XCTFail("\(error)") }
        }
        let noTimecode = Self.element([0x18, 0x53, 0x80, 0x67], Self.element([0x1F, 0x43, 0xB6, 0x75], Self.element([0xA3], [1, 2, 3])))
        var scanner = MatroskaClusterScanner()
        XCTAssertThrowsError(try scanner.consume(noTimecode))
    }
}
