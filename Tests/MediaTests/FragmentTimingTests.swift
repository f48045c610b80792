import XCTest
@testable import Media

final class FragmentTimingTests: XCTestCase {
    func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let size = UInt32(8 + payload.count)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            + Array(type.utf8) + payload
    }

    func be(_ value: UInt64, _ bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(bytes - 1 - $0))) }
    }

    func traf(track: UInt32, decodeTime: UInt64) -> [UInt8] {
        box("traf", box("tfhd", [0, 2, 0, 0] + be(UInt64(track), 4)) + box("tfdt", [1, 0, 0, 0] + be(decodeTime, 8)))
    }

    func trak(track: UInt32, timescale: UInt32) -> [UInt8] {
        let tkhd = box("tkhd", [0, 0, 0, 3] + be(0, 4) + be(0, 4) + be(UInt64(track), 4) + [UInt8](repeating: 0, count: 64))
        let mdhd = box("mdhd", [0, 0, 0, 0] + be(0, 4) + be(0, 4) + be(UInt64(timescale), 4) + be(0, 8))
        return box("trak", tkhd + box("mdia", mdhd))
    }

    func testReadsTimescalesAndShiftsDecodeTimesPerTrack() {
        let initSegment = box("ftyp", Array("isom".utf8)) + box("moov", trak(track: 1, timescale: 90000) + trak(track: 2, timescale: 48000))
        XCTAssertEqual(FragmentTiming.timescales(initSegment: initSegment), [1: 90000, 2: 48000])

        var fragment = box("moof", box("mfhd", [0, 0, 0, 0, 0, 0, 0, 1]) + traf(track: 1, decodeTime: 180000)
                           + traf(track: 2, decodeTime: 96000)) + box("mdat", [1, 2, 3])
        let base: Int64 = 1_795_712_400_500_000 // µs since the epoch
        FragmentTiming.shift(&fragment) { track in FragmentTiming.ticks(base, timescale: track == 1 ? 90000 : 48000) }
        let shifted = FragmentTiming.decodeTimes(fragment: fragment)
        XCTAssertEqual(shifted[1], 180000 + 1_795_712_400_500_000 * 9 / 100)
        XCTAssertEqual(shifted[2], 96000 + 1_795_712_400_500_000 * 48 / 1000)
        XCTAssertEqual(Array(fragment.suffix(3)), [1, 2, 3], "sample data is untouched")

        FragmentTiming.shift(&fragment) { _ in Int64.min / 4 }
        XCTAssertEqual(FragmentTiming.decodeTimes(fragment: fragment), [1: 0, 2: 0], "never below zero")
    }

    func testTickConversionsSaturateInsteadOfTrapping() {
        XCTAssertEqual(FragmentTiming.ticks(1_500_000, timescale: 90000), 135_000)
        XCTAssertEqual(FragmentTiming.ticks(Int64.max, timescale: UInt32.max), Int64.max)
        XCTAssertEqual(FragmentTiming.ticks(Int64.min, timescale: UInt32.max), Int64.min)
        XCTAssertEqual(FragmentTiming.microseconds(135_000, timescale: 90000), 1_500_000)
        XCTAssertEqual(FragmentTiming.microseconds(UInt64.max, timescale: 1), Int64.max)
        XCTAssertEqual(FragmentTiming.microseconds(5, timescale: 0), 0)
        var fragment = box("moof", traf(track: 1, decodeTime: UInt64(Int64.max - 1)))
        FragmentTiming.shift(&fragment) { _ in Int64.max }
        XCTAssertEqual(FragmentTiming.decodeTimes(fragment: fragment)[1], UInt64(Int64.max))
    }
}
