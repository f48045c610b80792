import XCTest
@testable import VideoIngest

/// Telling a video packet's place among a PutMedia body's clusters by its byte position.
final class ProducerFragmentBoundariesTests: XCTestCase {
    func testTheFirstVideoPacketOfEachClusterStartsIt() {
        let boundaries = ProducerFragmentBoundaries()
        boundaries.add(offset: 100)
        boundaries.add(offset: 5_000)
        XCTAssertEqual(boundaries.classify(position: 130), .starts)
        XCTAssertEqual(boundaries.classify(position: 900), .inside)
        XCTAssertEqual(boundaries.classify(position: 5_020), .starts)
        XCTAssertEqual(boundaries.classify(position: 6_000), .inside)
        // Two clusters passed without video between them still start only one fragment.
        boundaries.add(offset: 7_000)
        boundaries.add(offset: 8_000)
        XCTAssertEqual(boundaries.classify(position: 8_100), .starts)
        XCTAssertNil(boundaries.classify(position: nil), "no position: the duration target decides")
    }
}
