import XCTest
@testable import VideoIngest

final class RTCPSenderReportTests: XCTestCase {
    /// An SR (NTP 2026-11-26T00:00:00.5Z, RTP 0xFFFF_FF00) followed by an SDES, as ffmpeg sends them.
    private func compound() -> [UInt8] {
        let ntpSeconds = UInt32(1_795_651_200 + 2_208_988_800)
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let sr: [UInt8] = [0x80, 200, 0, 6] + be(0x1234) + be(ntpSeconds) + be(0x8000_0000) + be(0xFFFF_FF00) + be(10) + be(1000)
        let sdes: [UInt8] = [0x81, 202, 0, 2] + be(0x1234) + [1, 2, 0x61, 0x62]
        return sdes.isEmpty ? sr : sr + sdes
    }

    func testMapsRTPTimeToTheSendersClockAcrossTheWrap() throws {
        let report = try XCTUnwrap(RTCPSenderReport(compound: compound()))
        XCTAssertEqual(report.ssrc, 0x1234)
        XCTAssertEqual(report.wallClock, 1_795_651_200_500_000)
        // 0x100 + 90,000 ticks later at 90 kHz (past the 32-bit wrap): one second and a bit.
        let later = UInt32(0xFFFF_FF00) &+ 256 &+ 90_000
        XCTAssertEqual(report.wallClock(ofRTP: later, clockRate: 90_000), 1_795_651_200_500_000 + 1_000_000 + 2_844)
        XCTAssertEqual(report.wallClock(ofRTP: 0xFFFF_FF00 &- 9_000, clockRate: 90_000), 1_795_651_200_400_000)
    }

    func testNoSenderReportOrMalformedGivesNil() {
        XCTAssertNil(RTCPSenderReport(compound: [0x81, 201, 0, 1, 0, 0, 0, 1]), "a receiver report only")
        XCTAssertNil(RTCPSenderReport(compound: [0x80, 200, 0, 6, 1, 2]), "cut short")
        XCTAssertNil(RTCPSenderReport(compound: [0x40, 200, 0, 6] + [UInt8](repeating: 0, count: 24)), "version 1")
    }

    func testCredentialsAreRedactedFromURLs() {
        XCTAssertEqual(URLRedaction.redact("rtsp://admin:s3cret@10.0.0.5:554/live?x=1"), "rtsp://10.0.0.5:554/live?x=1")
        XCTAssertEqual(URLRedaction.redact("rtsp://camera/stream@2"), "rtsp://camera/stream@2")
        XCTAssertEqual(URLRedaction.redact("rtsp://user@camera/s"), "rtsp://camera/s")
    }
}
