import Foundation
import XCTest
@testable import FrameAnalysis

final class AnalysisSettingsTests: XCTestCase {
    func testMissingMembersKeepDefaults() throws {
        let settings = try JSONDecoder().decode(AnalysisSettings.self, from: Data(#"{"sensitivity": 0.8}"#.utf8))
        XCTAssertEqual(settings.sensitivity, 0.8)
        XCTAssertEqual(settings.detectors, [.motion, .scene])
        XCTAssertEqual(settings.dataStream, "videod-events")
        XCTAssertNil(settings.problem())
    }

    func testOutOfRangeValuesAreExplained() throws {
        for (json, words) in [(#"{"sensitivity": 2}"#, "sensitivity"), (#"{"minObjectArea": 0}"#, "minObjectArea"),
                              (#"{"mask": [[[0, 0], [1, 1]]]}"#, "3 points"), (#"{"mask": [[[0, 0], [2, 1], [0, 1]]]}"#, "between 0 and 1"),
                              (#"{"dataStream": "bad name"}"#, "dataStream"), (#"{"width": 8}"#, "width"),
                              (#"{"frameRate": 1e-300}"#, "frameRate"), (#"{"frameRate": 0}"#, "frameRate"),
                              (#"{"eventGap": 1e300}"#, "eventGap")] {
            let settings = try JSONDecoder().decode(AnalysisSettings.self, from: Data(json.utf8))
            XCTAssertTrue(settings.problem()?.contains(words) == true, "\(json) → \(settings.problem() ?? "valid")")
        }
    }

    func testUnknownDetectorIsADecodingError() {
        XCTAssertThrowsError(try JSONDecoder().decode(AnalysisSettings.self, from: Data(#"{"detectors": ["faces"]}"#.utf8)))
    }

    func testMaskRasterisesPolygons() {
        let mask = RegionMask(polygons: [[[0, 0], [0.5, 0], [0.5, 1], [0, 1]]], width: 10, height: 4)
        XCTAssertEqual(mask.ignoredCount, 20)
        XCTAssertTrue(mask.ignored[0])
        XCTAssertFalse(mask.ignored[9])
    }
}
