import Fragments
import Logging
import TestSupport
import XCTest
@testable import FrameAnalysis

/// Settings are checked when written, and a stored row that no longer passes (written by an older
/// version, or by hand) is skipped for the defaults instead of breaking every later push.
final class StoredSettingsTests: XCTestCase {
    final class NoEvents: AnalysisEventLog {
        func publish(_ event: AnalysisEvent, settings: AnalysisSettings) throws {}
        func prepare(dataStream: String) throws {}
        func events(ofStream streamName: String, in dataStream: String, from position: Int64, scanLimit: Int) throws -> EventPage {
            EventPage(events: [], next: nil)
        }
    }

    func testInvalidSettingsAreRefusedOnWriteAndSkippedOnRead() throws {
        let directory = TemporaryDirectory("settings")
        defer { directory.remove() }
        let store = try FragmentStore(directory: directory.path)
        var logger = Logger(label: "settings")
        logger.logLevel = .critical
        let service = AnalysisService(store: store, eventLog: NoEvents(), logger: logger)
        let stream = try store.createStream(named: "cam", now: 1).stream

        var bad = AnalysisSettings()
        bad.frameRate = 1e-300
        XCTAssertThrowsError(try service.setSettings(bad, streamID: stream.id))

        try store.setSetting("analysis", streamID: stream.id, json: #"{"frameRate": 1e-300, "sensitivity": 0.9}"#)
        XCTAssertEqual(try service.settings(streamNamed: "cam"), service.defaults)
        try store.setSetting("analysis", streamID: stream.id, json: "not json")
        XCTAssertEqual(try service.settings(streamNamed: "cam"), service.defaults)
        try store.setSetting("analysis", streamID: stream.id, json: #"{"sensitivity": 0.9}"#)
        XCTAssertEqual(try service.settings(streamNamed: "cam").sensitivity, 0.9)
    }
}
