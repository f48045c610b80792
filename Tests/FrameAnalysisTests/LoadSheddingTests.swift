import XCTest
@testable import FrameAnalysis

final class LoadSheddingTests: XCTestCase {
    func testStepsDownAsTheQueueFillsAndBackOnlyWhenItDrains() {
        var mode = AnalysisStatus.Mode.full
        var seen: [AnalysisStatus.Mode] = []
        for fill in [0.1, 0.4, 0.55, 0.7, 0.9, 0.6, 0.4, 0.3, 0.2, 0.6] {
            mode = LoadShedding.mode(current: mode, fill: fill)
            seen.append(mode)
        }
        XCTAssertEqual(seen, [.full, .full, .skipNonReference, .skipNonReference, .keyFramesOnly,
                              .keyFramesOnly, .keyFramesOnly, .keyFramesOnly, .full, .skipNonReference])
    }
}
