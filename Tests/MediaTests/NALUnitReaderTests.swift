import Media
import XCTest

final class NALUnitReaderTests: XCTestCase {
    func lengthPrefixed(_ units: [[UInt8]], size: Int = 4) -> [UInt8] {
        units.flatMap { unit in (0..<size).reversed().map { UInt8(truncatingIfNeeded: unit.count >> (8 * $0)) } + unit }
    }

    func summary(_ reader: NALUnitReader, _ bytes: [UInt8]) -> CodedPictureSummary {
        bytes.withUnsafeBytes { reader.summary(of: $0) }
    }

    func testOnlySlicesCountNotSEIOrFiller() {
        let sei: [UInt8] = [0x06, 0x05, 0x01, 0x80]
        let slice: [UInt8] = [0x41, 0x9a] + [UInt8](repeating: 0x33, count: 40)
        let filler: [UInt8] = [0x0c] + [UInt8](repeating: 0xff, count: 500)
        let reader = NALUnitReader(codec: .h264, lengthSize: 4)
        XCTAssertEqual(summary(reader, lengthPrefixed([sei, slice, filler])),
                       CodedPictureSummary(sliceBytes: 42, isReference: true, fillerBytes: 501))
        // nal_ref_idc 0: a disposable picture.
        let disposable: [UInt8] = [0x01, 0x9e, 0x11, 0x22]
        XCTAssertEqual(summary(reader, lengthPrefixed([disposable])), CodedPictureSummary(sliceBytes: 4, isReference: false))
    }

    func testAnnexBWithThreeAndFourByteStartCodes() {
        let reader = NALUnitReader(codec: .h264, lengthSize: nil)
        let bytes: [UInt8] = [0, 0, 0, 1, 0x09, 0xf0] + [0, 0, 1, 0x65, 0x88, 0x84, 0x21] + [0, 0, 0, 1, 0x0c, 0xff, 0xff]
        XCTAssertEqual(summary(reader, bytes), CodedPictureSummary(sliceBytes: 4, isReference: true, fillerBytes: 3))
    }

    func testHEVCNonReferencePicturesAreTold() {
        let reader = NALUnitReader(codec: .hevc, lengthSize: 4)
        let trailN: [UInt8] = [0x00, 0x01, 0xaa, 0xbb]      // type 0, TRAIL_N
        let trailR: [UInt8] = [0x02, 0x01, 0xaa, 0xbb, 0xcc] // type 1, TRAIL_R
        let filler: [UInt8] = [38 << 1, 0x01, 0xff, 0xff]   // FD_NUT
        XCTAssertEqual(summary(reader, lengthPrefixed([trailN, filler])),
                       CodedPictureSummary(sliceBytes: 4, isReference: false, fillerBytes: 4))
        XCTAssertEqual(summary(reader, lengthPrefixed([trailR])), CodedPictureSummary(sliceBytes: 5, isReference: true))
    }

    func testFramingFromTheConfigurationRecord() {
        XCTAssertEqual(NALUnitReader(codec: .h264, extradata: [1, 0x64, 0, 0x1f, 0xfd]).lengthSize, 2)
        XCTAssertNil(NALUnitReader(codec: .h264, extradata: [0, 0, 0, 1, 0x67]).lengthSize)
        XCTAssertNil(NALUnitReader(codec: .h264, extradata: []).lengthSize)
        var hvcC = [UInt8](repeating: 0, count: 23)
        hvcC[0] = 1
        hvcC[21] = 0x0f
        XCTAssertEqual(NALUnitReader(codec: .hevc, extradata: hvcC).lengthSize, 4)
    }

    func testBytesThatAreNotNALUnitsCountWhole() {
        let reader = NALUnitReader(codec: .h264, lengthSize: 4)
        // A length running past the end.
        XCTAssertEqual(summary(reader, [0, 0, 1, 0, 0x41, 0x9a]), CodedPictureSummary(sliceBytes: 6, isReference: true))
        XCTAssertEqual(summary(NALUnitReader(codec: .h264, lengthSize: nil), [0x41, 0x9a, 0x33]),
                       CodedPictureSummary(sliceBytes: 3, isReference: true))
        XCTAssertEqual(summary(reader, []), CodedPictureSummary(sliceBytes: 0, isReference: true))
    }
}
