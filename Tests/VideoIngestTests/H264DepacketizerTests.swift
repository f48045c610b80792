import TestSupport
import XCTest
@testable import VideoIngest

/// Hand-built RTP packets (RFC 6184) through the depacketizer.
final class H264DepacketizerTests: XCTestCase {
    func rtp(_ seq: UInt16, _ ts: UInt32, marker: Bool, _ payload: [UInt8], version: UInt8 = 2) -> [UInt8] {
        [version << 6, (marker ? 0x80 : 0) | 96, UInt8(seq >> 8), UInt8(seq & 0xFF),
         UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF), UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF), 0, 0, 0, 1] + payload
    }

    func packet(_ seq: UInt16, _ ts: UInt32, marker: Bool = true, _ payload: [UInt8]) -> RTPPacket {
        try! RTPPacket(parsing: rtp(seq, ts, marker: marker, payload)[...])
    }

    let sps: [UInt8] = [0x67, 0x42, 0x00, 0x1F]
    let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    let idr: [UInt8] = [0x65, 0x88, 0x84, 0x00, 0x10]
    let slice: [UInt8] = [0x41, 0x9A, 0x02]

    func stapA(_ nals: [[UInt8]]) -> [UInt8] {
        [0x78] + nals.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
    }

    /// A NAL unit as the depacketizer writes it: 4-byte big-endian length, then the unit.
    static func sized(_ nal: [UInt8]) -> [UInt8] {
        [UInt8(nal.count >> 24), UInt8(nal.count >> 16 & 0xFF), UInt8(nal.count >> 8 & 0xFF), UInt8(nal.count & 0xFF)] + nal
    }

    func testSingleNALAndSTAPAMakeLengthPrefixedAccessUnits() {
        var d = H264Depacketizer()
        XCTAssertEqual(d.push(packet(1, 1000, marker: false, stapA([sps, pps]))), [])
        let units = d.push(packet(2, 1000, idr))
        XCTAssertEqual(units.count, 1)
        XCTAssertTrue(units[0].isKeyFrame)
        XCTAssertEqual(units[0].data, Self.sized(sps) + Self.sized(pps) + Self.sized(idr))
        let next = d.push(packet(3, 4000, slice))
        XCTAssertEqual(next.map(\.timestamp), [4000])
        XCTAssertFalse(next[0].isKeyFrame)
    }

    func testFUAReassemblesAFragmentedNAL() {
        var d = H264Depacketizer()
        let body = Array(0..<200).map { UInt8($0) }
        let first = [0x7C, 0x85] + body[0..<80]     // FU indicator (NRI 3, type 28), start, type 5
        let middle = [0x7C, 0x05] + body[80..<150]
        let last = [0x7C, 0x45] + body[150...]
        XCTAssertEqual(d.push(packet(10, 9000, marker: false, first)), [])
        XCTAssertEqual(d.push(packet(11, 9000, marker: false, middle)), [])
        let units = d.push(packet(12, 9000, last))
        XCTAssertEqual(units.first?.data, [0, 0, 0, 201, 0x65] + body, "the length is filled in when the last piece arrives")
        XCTAssertEqual(units.first?.isKeyFrame, true)
    }

    func testLossDropsUntilTheNextKeyFrame() {
        var d = H264Depacketizer()
        _ = d.push(packet(1, 0, idr))
        XCTAssertEqual(d.push(packet(3, 3000, slice)), [], "packet 2 was lost: this P frame references it")
        XCTAssertEqual(d.push(packet(4, 6000, slice)), [], "still no key frame")
        XCTAssertEqual(d.push(packet(5, 9000, idr)).count, 1)
        XCTAssertEqual(d.push(packet(6, 12000, slice)).count, 1)
        XCTAssertEqual(d.droppedAccessUnits, 2)
    }

    func testFUAWithoutStartIsDroppedNotCrashed() {
        var d = H264Depacketizer()
        _ = d.push(packet(1, 0, idr))
        XCTAssertEqual(d.push(packet(2, 3000, [0x7C, 0x45, 1, 2, 3])), [])
        XCTAssertEqual(d.malformedPackets, 1)
        XCTAssertEqual(d.push(packet(3, 6000, idr)).count, 1)
    }

    /// An FU-A start, then single NAL units until the access unit passes its size limit, then the
    /// FU-A end: the oversized unit is thrown away with its open fragment; nothing writes into it.
    func testAnOversizedAccessUnitClosesItsOpenFragment() {
        var d = H264Depacketizer()
        let fuIndicator: UInt8 = 0x7C, idrType: UInt8 = 0x05
        var seq: UInt16 = 1
        XCTAssertEqual(d.push(packet(seq, 1000, marker: false, [fuIndicator, 0x80 | idrType, 1, 2, 3])), [])
        let big = [UInt8](repeating: 0x41, count: 60_000)
        var sent = 0
        while sent <= H264Depacketizer.maxAccessUnitBytes {
            seq &+= 1
            XCTAssertEqual(d.push(packet(seq, 1000, marker: false, big)), [])
            sent += big.count
        }
        seq &+= 1
        XCTAssertEqual(d.push(packet(seq, 1000, marker: true, [fuIndicator, 0x40 | idrType, 4, 5])), [])
        XCTAssertGreaterThan(d.malformedPackets, 0)
        // The stream recovers at the next key frame.
        seq &+= 1
        XCTAssertEqual(d.push(packet(seq, 4000, idr)).count, 1)
    }

    func testTruncatedSTAPAAndEmptyPayloadsAreCounted() {
        var d = H264Depacketizer()
        XCTAssertEqual(d.push(packet(1, 0, [0x78, 0x00, 0x09, 0x67])), [])
        XCTAssertEqual(d.push(packet(2, 10, [])), [])
        XCTAssertEqual(d.malformedPackets, 2)
    }

    func testRTPHeaderValidation() {
        XCTAssertThrowsError(try RTPPacket(parsing: rtp(1, 0, marker: true, idr, version: 1)[...]))
        XCTAssertThrowsError(try RTPPacket(parsing: [0x80, 0x60, 0, 1][...]))
        var padded = rtp(1, 0, marker: true, [0x65, 1, 2, 0, 0, 3])
        padded[0] |= 0x20
        XCTAssertEqual(try RTPPacket(parsing: padded[...]).payload.count, 3)
        padded[padded.count - 1] = 200
        XCTAssertThrowsError(try RTPPacket(parsing: padded[...]))
    }

    func testTimestampUnwrapAcrossThe32BitBoundary() {
        var u = RTPTimestampUnwrapper()
        XCTAssertEqual(u.unwrap(UInt32.max - 3000), Int64(UInt32.max) - 3000)
        XCTAssertEqual(u.unwrap(UInt32.max), Int64(UInt32.max))
        XCTAssertEqual(u.unwrap(2999), Int64(UInt32.max) + 3000)
        XCTAssertEqual(u.unwrap(UInt32.max - 10), Int64(UInt32.max) - 10, "a late packet from before the wrap")
        XCTAssertEqual(u.unwrap(6000), Int64(UInt32.max) + 6001)

        // A long run crosses the boundary twice and keeps counting forward.
        var steady = RTPTimestampUnwrapper()
        let step: UInt32 = 1 << 20
        var raw: UInt32 = 0
        var expected: Int64 = 0
        XCTAssertEqual(steady.unwrap(raw), 0)
        for _ in 0..<(2 * 4096 + 10) {
            raw &+= step
            expected += Int64(step)
            XCTAssertEqual(steady.unwrap(raw), expected)
        }
    }

    func testRandomBytesNeverCrashAndStayBounded() {
        var generator = SeededGenerator(seed: 42)
        var d = H264Depacketizer()
        for i in 0..<20000 {
            let length = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count >= 12 && i % 2 == 0 { bytes[0] = 0x80 } // half of them valid RTP v2
            if let packet = try? RTPPacket(parsing: bytes[...]) {
                for unit in d.push(packet) { XCTAssertLessThanOrEqual(unit.data.count, H264Depacketizer.maxAccessUnitBytes) }
            }
        }
    }
}
