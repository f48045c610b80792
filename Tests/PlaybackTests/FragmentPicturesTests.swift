import Foundation
import Media
@testable import Playback
import TestSupport
import XCTest

/// Pictures from a stored fragment at chosen instants, as JPEG and PNG at the asked size.
final class FragmentPicturesTests: XCTestCase {
    func testEachInstantGetsTheFrameShowingThen() throws {
        let (initSegment, fragments) = try StoredMedia.fourSeconds()
        let samples = MP4Sample.samples(fragment: fragments[1]).filter { $0.trackID == 1 }
        let timescale = Int64(MP4Track.tracks(initSegment: initSegment)[0].timescale)
        let start = Int64(samples[0].decodeTime) * 1_000_000 / timescale
        var sizes: [(Int, Int)] = []
        let encoder = try ImageEncoder(width: 160, height: 120, format: .jpeg(quality: 80))
        let images = try FragmentPictures.images(initSegment: initSegment, fragment: fragments[1],
                                                 instants: [start, start + 500_000, start + 1_900_000]) { frame in
            sizes.append((frame.width, frame.height))
            return try encoder.encode(frame)
        }
        XCTAssertEqual(images.count, 3)
        XCTAssertTrue(images.allSatisfy { $0?.starts(with: [0xFF, 0xD8]) == true }, "JPEG files")
        XCTAssertTrue(sizes.allSatisfy { $0 == (320, 240) })
        XCTAssertNotEqual(images[0], images[1], "the picture moves")
        let png = try ImageEncoder(width: 80, height: 60, format: .png)
        let pngs = try FragmentPictures.images(initSegment: initSegment, fragment: fragments[0], instants: [0]) { try png.encode($0) }
        XCTAssertEqual(pngs.first??.prefix(4), [0x89, 0x50, 0x4E, 0x47])
    }

    func testSizesFollowTheAspectRatio() {
        XCTAssertTrue(ImageEncoder.size(source: (1280, 720), width: 320, height: nil) == (320, 180))
        XCTAssertTrue(ImageEncoder.size(source: (1280, 720), width: nil, height: 90) == (160, 90))
        XCTAssertTrue(ImageEncoder.size(source: (1280, 720), width: 101, height: 51) == (102, 52), "even sizes for 4:2:0")
        XCTAssertTrue(ImageEncoder.size(source: (1280, 720), width: nil, height: nil) == (1280, 720))
    }
}
