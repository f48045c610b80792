@testable import Playback
import XCTest

/// Damaged stored fragments read as "no samples", never a trap that would take the server down.
final class MP4SampleDamageTests: XCTestCase {
    func moof(baseOffset: UInt64, dataOffset: Int32) -> [UInt8] {
        var w = MP4Writer()
        w.box("moof") { moof in
            moof.box("traf") { traf in
                traf.fullBox("tfhd", flags: 0x1) { $0.u32(1); $0.u64(baseOffset) }
                traf.fullBox("trun", flags: 0x201) { $0.u32(1); $0.i32(dataOffset); $0.u32(16) }
            }
        }
        return w.bytes
    }

    func testAnExplicitBaseOffsetNearTheTopOfIntIsRefused() {
        XCTAssertEqual(MP4Sample.samples(fragment: moof(baseOffset: 0x7FFF_FFFF_FFFF_FFF0, dataOffset: .max)), [])
        XCTAssertEqual(MP4Sample.samples(fragment: moof(baseOffset: .max, dataOffset: 0)), [])
        // A sane one still reads (its sample inside the size the caller gives).
        let sane = MP4Sample.samples(fragment: moof(baseOffset: 0, dataOffset: 100), size: 200)
        XCTAssertEqual(sane.map(\.range), [100..<116])
    }

    /// Two runs of one track, as a muxer interleaving tracks writes them: each explicit data
    /// offset counts from the moof, and a run without one follows the run before it.
    func testEachRunsDataOffsetCountsFromTheBaseNotThePreviousRun() {
        var w = MP4Writer()
        w.box("moof") { moof in
            moof.box("traf") { traf in
                traf.fullBox("tfhd", flags: 0x20000) { $0.u32(1) }  // default-base-is-moof
                traf.fullBox("trun", flags: 0x201) { $0.u32(2); $0.i32(200); $0.u32(10); $0.u32(20) }
                traf.fullBox("trun", flags: 0x201) { $0.u32(1); $0.i32(400); $0.u32(30) }
                traf.fullBox("trun", flags: 0x200) { $0.u32(1); $0.u32(5) }
            }
        }
        let ranges = MP4Sample.samples(fragment: w.bytes, size: 1000).map(\.range)
        XCTAssertEqual(ranges, [200..<210, 210..<230, 400..<430, 430..<435])
    }
}
