import Fragments
import XCTest

final class DiskQuotaTests: XCTestCase {
    func testSizesAndSharesParseAndNonsenseIsRefused() {
        XCTAssertEqual(DiskQuota("500G"), .bytes(500 << 30))
        XCTAssertEqual(DiskQuota("1.5t"), .bytes(Int64(1.5 * Double(1 << 40))))
        XCTAssertEqual(DiskQuota("300MB"), .bytes(300 << 20))
        XCTAssertEqual(DiskQuota("123456"), .bytes(123_456))
        XCTAssertEqual(DiskQuota("40%"), .percentOfVolume(40))
        for bad in ["", "G", "-5G", "0", "0%", "101%", "nan%", "1e300T", "9999999999P", "5 G", "5X", String(repeating: "9", count: 40)] {
            XCTAssertNil(DiskQuota(bad), bad)
        }
    }

    func testExcessIsWhatMustGoAndNeverMoreThanTheArchiveHolds() {
        XCTAssertEqual(DiskQuota.bytes(1000).excess(archiveBytes: 1500, volumeTotal: 10_000, volumeFree: 100), 500)
        XCTAssertEqual(DiskQuota.bytes(1000).excess(archiveBytes: 900, volumeTotal: 10_000, volumeFree: 100), 0)
        XCTAssertEqual(DiskQuota.percentOfVolume(10).excess(archiveBytes: 1500, volumeTotal: 10_000, volumeFree: 9000), 500)
        // Keep 5 % of 10,000 free: 300 free means 200 must go.
        XCTAssertEqual(DiskQuota.standard.excess(archiveBytes: 1500, volumeTotal: 10_000, volumeFree: 300), 200)
        XCTAssertEqual(DiskQuota.standard.excess(archiveBytes: 1500, volumeTotal: 10_000, volumeFree: 600), 0)
        // Something else filled the disk: the archive can give only what it has.
        XCTAssertEqual(DiskQuota.standard.excess(archiveBytes: 100, volumeTotal: 10_000, volumeFree: 0), 100)
    }
}
