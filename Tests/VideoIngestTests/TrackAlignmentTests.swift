import XCTest
@testable import VideoIngest

/// Placing an RTSP push's tracks on one timeline: by the device's clock when sender reports cover
/// both tracks, else by arrival.
final class TrackAlignmentTests: XCTestCase {
    func testSenderReportsPlaceTracksWhateverTheirArrival() {
        var alignment = TrackAlignment()
        XCTAssertNil(alignment.offset(arrival: 5, wallClock: 1_000), "nothing before the first video frame")
        alignment.startVideo(arrival: 100, wallClock: 50_000)
        alignment.startVideo(arrival: 900, wallClock: 90_000) // only the first video frame starts it
        // Audio captured 300 ms after the first video frame but arriving at the same instant.
        XCTAssertEqual(alignment.offset(arrival: 100, wallClock: 350_000), 300_000)
        // Audio captured 20 ms before it (buffered less by the encoder): its first frames precede the session.
        XCTAssertEqual(alignment.offset(arrival: 100, wallClock: 30_000), -20_000)
    }

    func testArrivalPlacesTracksWithoutReportsForBoth() {
        var alignment = TrackAlignment()
        alignment.startVideo(arrival: 1_000, wallClock: nil)
        XCTAssertEqual(alignment.offset(arrival: 41_000, wallClock: 777_000), 40_000, "the video had no report")
        var reported = TrackAlignment()
        reported.startVideo(arrival: 1_000, wallClock: 500_000)
        XCTAssertEqual(reported.offset(arrival: 11_000, wallClock: nil), 10_000, "the audio had no report")
    }

    /// Two sender reports whose clocks are centuries apart (one NTP time near 1900, one near
    /// 2036): not one device's clock, so arrival decides, and nothing overflows downstream.
    func testClocksTooFarApartFallBackToArrival() {
        var alignment = TrackAlignment()
        alignment.startVideo(arrival: 1_000, wallClock: -2_208_988_800_000_000)
        XCTAssertEqual(alignment.offset(arrival: 6_000, wallClock: 2_085_978_496_000_000), 5_000)
        XCTAssertEqual(alignment.offset(arrival: 6_000, wallClock: -2_208_988_800_000_000 + TrackAlignment.maxClockSkew + 1), 5_000)
    }
}
