@testable import FrameAnalysis
import Media
import XCTest

final class DecodeGateTests: XCTestCase {
    /// One GOP: a key frame of `key` bytes and 29 reference pictures of the sizes `picture` gives.
    @discardableResult
    func gop(_ gate: inout DecodeGate, key: Int = 20_000, busy: Bool = false, missed: Bool = false,
             picture: (Int) -> Int = { 200 + $0 % 5 * 10 }) -> [Bool] {
        gate.keyFrame(sliceBytes: key)
        let flagged = (1..<30).map { gate.picture(CodedPictureSummary(sliceBytes: picture($0), isReference: true)) }
        if missed { gate.missed() }
        gate.endGOP(busy: busy)
        return flagged
    }

    func testGatesAfterLearningQuietGOPsAndFlagsLargerPictures() {
        var gate = DecodeGate()
        for _ in 0..<5 { gop(&gate, busy: true) }
        XCTAssertEqual(gate.state, .learning, "busy GOPs teach nothing")
        for _ in 0..<3 { gop(&gate) }
        XCTAssertEqual(gate.state, .gating)
        XCTAssertNil(gate.reason)
        XCTAssertEqual(gop(&gate).filter { $0 }.count, 0, "quiet pictures are not flagged")
        // Something moving: pictures 80 % larger from the 10th on.
        let flagged = gop(&gate, busy: true) { $0 >= 10 ? 400 : 210 }
        XCTAssertTrue((9...10).contains(flagged.firstIndex(of: true) ?? -1), "flagged within two pictures of the change")
        // One large picture (a cut) is flagged at once.
        XCTAssertTrue(gop(&gate, busy: true) { $0 == 5 ? 1_000 : 205 }[4])
    }

    func testConstantBitrateSizesDecodeEverything() {
        var gate = DecodeGate()
        for _ in 0..<4 { gop(&gate, key: 40_000) { _ in 4_800 } }
        XCTAssertEqual(gate.state, .decodingAll)
        XCTAssertTrue(gate.reason?.contains("12 % of a key frame") ?? false, gate.reason ?? "")
        // The night passes: quiet pictures small again, gating resumes.
        for _ in 0..<300 { gop(&gate, key: 40_000) { _ in 300 } }
        XCTAssertEqual(gate.state, .gating)
    }

    func testSizesThatSwingWhileNothingMovesDecodeEverything() {
        // An unpadded constant bitrate (a still 720p view at 2 Mbit/s, hundreds of bytes): the
        // rate control, not the picture, sets the sizes — large after the key frame, tiny
        // before the next one as the encoder saves for it.
        let still = [227, 172, 114, 30, 34, 97, 115, 181, 182, 146, 183, 181, 168, 161, 209, 160, 154, 153, 202, 179,
                     4, 2, 2, 5, 10, 18, 30, 44, 72]
        var gate = DecodeGate()
        for _ in 0..<4 { gop(&gate, key: 200_000) { still[$0 - 1] * 100 } }
        XCTAssertEqual(gate.state, .decodingAll)
        XCTAssertTrue(gate.reason?.contains("swing") ?? false, gate.reason ?? "")
        // Steady sizes again (the encoder switched to a variable bitrate): gating resumes.
        for _ in 0..<300 { gop(&gate, key: 200_000) { 300 + $0 % 3 * 10 } }
        XCTAssertEqual(gate.state, .gating)
    }

    func testChangesTheSizesMissedDecodeEverythingForAWhile() {
        var gate = DecodeGate()
        for _ in 0..<4 { gop(&gate) }
        XCTAssertEqual(gate.state, .gating)
        gop(&gate, missed: true)
        gop(&gate)
        gop(&gate, missed: true)
        XCTAssertEqual(gate.state, .gating, "two misses are tolerated")
        gop(&gate, missed: true)
        XCTAssertEqual(gate.state, .decodingAll)
        XCTAssertEqual(gate.missedChanges, 3)
        for _ in 0..<gate.configuration.missPenaltyGOPs { gop(&gate) }
        XCTAssertEqual(gate.state, .decodingAll)
        gop(&gate)
        XCTAssertEqual(gate.state, .gating)
    }

    func testClassesAreLearnedApart() {
        // Disposable B-pictures are much smaller than references: each is judged against its own kind.
        var gate = DecodeGate()
        for _ in 0..<4 {
            gate.keyFrame(sliceBytes: 20_000)
            for i in 1..<30 { _ = gate.picture(CodedPictureSummary(sliceBytes: i % 3 == 0 ? 600 : 60, isReference: i % 3 == 0)) }
            gate.endGOP(busy: false)
        }
        gate.keyFrame(sliceBytes: 20_000)
        let flagged = (1..<30).map { gate.picture(CodedPictureSummary(sliceBytes: $0 % 3 == 0 ? 600 : 60, isReference: $0 % 3 == 0)) }
        XCTAssertEqual(flagged.filter { $0 }.count, 0)
        XCTAssertTrue(gate.picture(CodedPictureSummary(sliceBytes: 400, isReference: false)), "a B-picture the size of a P is not quiet")
    }
}
