import XCTest
@testable import VideoIngest

/// RFC 7798 payloads: two-byte NAL headers, aggregation packets (type 48), fragmentation units (49).
final class H265DepacketizerTests: XCTestCase {
    func packet(_ seq: UInt16, _ ts: UInt32, marker: Bool = true, _ payload: [UInt8]) -> RTPPacket {
        let header: [UInt8] = [0x80, (marker ? 0x80 : 0) | 96, UInt8(seq >> 8), UInt8(seq & 0xFF),
                               UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF), 0, 0, 0, 7]
        return try! RTPPacket(parsing: (header + payload)[...])
    }

    let vps: [UInt8] = [0x40, 0x01, 0x0C]
    let sps: [UInt8] = [0x42, 0x01, 0x01]
    let pps: [UInt8] = [0x44, 0x01, 0xC1]
    let idr: [UInt8] = [0x26, 0x01, 0xAF, 0x05]   // IDR_W_RADL (19)
    let trail: [UInt8] = [0x02, 0x01, 0xD0]      // TRAIL_R (1)

    func aggregation(_ nals: [[UInt8]]) -> [UInt8] {
        [0x60, 0x01] + nals.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
    }

    func testAggregationAndSingleUnits() {
        var d = H265Depacketizer()
        XCTAssertEqual(d.push(packet(1, 0, marker: false, aggregation([vps, sps, pps]))), [])
        let units = d.push(packet(2, 0, idr))
        XCTAssertEqual(units.first?.data, [vps, sps, pps, idr].flatMap(H264DepacketizerTests.sized))
        XCTAssertEqual(units.first?.isKeyFrame, true)
        XCTAssertEqual(d.push(packet(3, 3000, trail)).first?.isKeyFrame, false)
    }

    func testFragmentationUnitRebuildsTheTwoByteHeader() {
        var d = H265Depacketizer()
        let body: [UInt8] = Array(1...100)
        XCTAssertEqual(d.push(packet(1, 0, marker: false, [0x62, 0x01, 0x80 | 19] + body[0..<50])), [])
        let units = d.push(packet(2, 0, [0x62, 0x01, 0x40 | 19] + body[50...]))
        XCTAssertEqual(units.first?.data, [0, 0, 0, 102, 0x26, 0x01] + body)
        XCTAssertEqual(units.first?.isKeyFrame, true)
    }

    func testLossWaitsForTheNextIRAPPicture() {
        var d = H265Depacketizer()
        _ = d.push(packet(1, 0, idr))
        XCTAssertEqual(d.push(packet(3, 3000, trail)), [])
        XCTAssertEqual(d.push(packet(4, 6000, idr)).count, 1)
        XCTAssertEqual(d.droppedAccessUnits, 1)
    }
}
