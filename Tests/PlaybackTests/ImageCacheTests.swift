@testable import Playback
import XCTest

final class ImageCacheTests: XCTestCase {
    private func key(_ instant: Int64, width: Int? = nil) -> ImageCacheKey {
        .init(streamID: 1, fragment: 7, fragmentArrival: 1_000, instant: instant, width: width, height: nil, format: .jpeg(quality: 80))
    }

    func testTheLeastRecentlyUsedImagesGoFirstWhenBytesRunOut() {
        let cache = ImageCache(maxBytes: 1_000)
        for instant in 0..<8 { cache.insert([UInt8](repeating: UInt8(instant), count: 120), for: key(Int64(instant))) }
        XCTAssertEqual(cache.counts.weight, 960)
        _ = cache.value(key(0))  // used again: now the newest
        cache.insert([UInt8](repeating: 9, count: 120), for: key(9))
        XCTAssertEqual(cache.value(key(0)), [UInt8](repeating: 0, count: 120))
        XCTAssertNil(cache.value(key(1)), "the oldest unused entry was dropped")
        XCTAssertEqual(cache.value(key(2))?.first, 2)
        XCTAssertLessThanOrEqual(cache.counts.weight, 1_000)
    }

    func testKeysTellSizesApartAndHugeImagesAreNotKept() {
        let cache = ImageCache(maxBytes: 1_000)
        cache.insert([1, 2, 3], for: key(5))
        XCTAssertNil(cache.value(key(5, width: 64)))
        XCTAssertEqual(cache.value(key(5)), [1, 2, 3])
        cache.insert([UInt8](repeating: 0, count: 200), for: key(6))  // over an eighth of the cache
        XCTAssertNil(cache.value(key(6)))
        let off = ImageCache(maxBytes: 0)
        off.insert([1], for: key(5))
        XCTAssertNil(off.value(key(5)))
        XCTAssertEqual(cache.counts.hits, 1)
        XCTAssertEqual(cache.counts.misses, 2)
    }
}
