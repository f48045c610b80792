import XCTest
@testable import VideoIngest

final class AACDepacketizerTests: XCTestCase {
    let fmtp = ["mode": "AAC-hbr", "sizelength": "13", "indexlength": "3", "indexdeltalength": "3"]

    func packet(_ seq: UInt16, _ ts: UInt32, marker: Bool = true, _ payload: [UInt8]) -> RTPPacket {
        let header: [UInt8] = [0x80, (marker ? 0x80 : 0) | 97, UInt8(seq >> 8), UInt8(seq & 0xFF),
                               UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF), 0, 0, 0, 9]
        return try! RTPPacket(parsing: (header + payload)[...])
    }

    /// AU header: 13-bit size, 3-bit index (0).
    func auHeader(_ size: Int) -> [UInt8] { [UInt8(size >> 5), UInt8((size & 0x1F) << 3)] }

    func testFieldWidthsBeyondSixteenBitsAreRefused() {
        for (key, value) in [("indexlength", "9223372036854775807"), ("indexlength", "17"), ("indexdeltalength", "-1"),
                             ("indexdeltalength", "x")] {
            var parameters = fmtp
            parameters[key] = value
            XCTAssertThrowsError(try AACDepacketizer(formatParameters: parameters), "\(key)=\(value)")
        }
    }

    func testSeveralFramesInOnePacketAreTimedBySamples() throws {
        var d = try AACDepacketizer(formatParameters: fmtp)
        let a: [UInt8] = [1, 2, 3], b: [UInt8] = [4, 5]
        let frames = d.push(packet(1, 48000, [0x00, 0x20] + auHeader(3) + auHeader(2) + a + b))
        XCTAssertEqual(frames, [.init(timestamp: 48000, data: a), .init(timestamp: 49024, data: b)])
    }

    func testAFrameFragmentedOverPackets() throws {
        var d = try AACDepacketizer(formatParameters: fmtp)
        let frame = Array(repeating: UInt8(7), count: 300)
        XCTAssertEqual(d.push(packet(1, 0, marker: false, [0x00, 0x10] + auHeader(300) + frame[0..<200])), [])
        XCTAssertEqual(d.push(packet(2, 0, [0x00, 0x10] + auHeader(300) + frame[200...])), [.init(timestamp: 0, data: frame)])
    }

    func testMalformedPayloadsAreCounted() throws {
        var d = try AACDepacketizer(formatParameters: fmtp)
        XCTAssertEqual(d.push(packet(1, 0, [0x00])), [])
        XCTAssertEqual(d.push(packet(2, 0, [0x00, 0x40, 0x00])), [])
        XCTAssertEqual(d.malformedPackets, 2)
        XCTAssertThrowsError(try AACDepacketizer(formatParameters: ["mode": "AAC-lbr", "sizelength": "6"]))
    }
}
