import XCTest
@testable import Media

final class MP4BoxesTests: XCTestCase {
    func box(_ type: String, _ payload: Int) -> [UInt8] {
        let size = 8 + payload
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            + Array(type.utf8) + [UInt8](repeating: 0, count: payload)
    }

    func testWalksTopLevelBoxesAndFindsTheFirstFragment() {
        let bytes = box("ftyp", 16) + box("moov", 100) + box("moof", 40) + box("mdat", 1000)
        XCTAssertEqual(MP4Boxes.topLevel(bytes).map(\.type), ["ftyp", "moov", "moof", "mdat"])
        XCTAssertEqual(MP4Boxes.firstOffset(of: ["moof"], in: bytes), 24 + 108)
    }

    func testStopsAtATruncatedBox() {
        let bytes = box("ftyp", 16) + Array(box("moov", 100).prefix(50))
        XCTAssertEqual(MP4Boxes.topLevel(bytes).map(\.type), ["ftyp"])
    }

    func testAudioSpecificConfigForAACLC() {
        // AAC LC, 48 kHz, stereo: object type 2, rate index 3, channels 2 → 0x11 0x90.
        XCTAssertEqual(ADTS.audioSpecificConfig(profile: 1, sampleRate: 48000, channels: 2), [0x11, 0x90])
        XCTAssertEqual(ADTS.audioSpecificConfig(profile: -99, sampleRate: 44100, channels: 1), [0x12, 0x08])
        XCTAssertNil(ADTS.audioSpecificConfig(profile: 1, sampleRate: 12345, channels: 2))
    }
}
