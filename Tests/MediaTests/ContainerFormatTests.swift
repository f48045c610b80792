import XCTest
@testable import Media

final class ContainerFormatTests: XCTestCase {
    func testSniffsEachSupportedContainer() {
        let mp4: [UInt8] = [0, 0, 0, 0x20] + Array("ftypisom".utf8) + [UInt8](repeating: 0, count: 20)
        XCTAssertEqual(ContainerFormat.sniff(mp4), .mp4)
        XCTAssertEqual(ContainerFormat.sniff([0x1A, 0x45, 0xDF, 0xA3, 0x9F]), .matroska)
        var ts = [UInt8](repeating: 0xFF, count: 188 * 3)
        ts[0] = 0x47; ts[188] = 0x47; ts[376] = 0x47
        XCTAssertEqual(ContainerFormat.sniff(ts), .mpegts)
    }

    func testRejectsOtherBytes() {
        XCTAssertNil(ContainerFormat.sniff(Array("ID3\u{3}\0\0\0\0".utf8) + [UInt8](repeating: 0, count: 600)))
        XCTAssertNil(ContainerFormat.sniff([0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0, count: 600)))
        XCTAssertNil(ContainerFormat.sniff([]))
        var almostTS = [UInt8](repeating: 0, count: 188 * 3)
        almostTS[0] = 0x47
        XCTAssertNil(ContainerFormat.sniff(almostTS))
    }

    func testContentTypes() {
        XCTAssertEqual(ContainerFormat(contentType: "video/mp4"), .mp4)
        XCTAssertEqual(ContainerFormat(contentType: "Video/MP2T; charset=binary"), .mpegts)
        XCTAssertEqual(ContainerFormat(contentType: "video/x-matroska"), .matroska)
        XCTAssertEqual(ContainerFormat(contentType: "video/webm"), .matroska)
        XCTAssertNil(ContainerFormat(contentType: "application/octet-stream"))
        XCTAssertNil(ContainerFormat(contentType: nil))
    }
}
