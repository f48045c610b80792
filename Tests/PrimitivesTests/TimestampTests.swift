import XCTest
import Primitives

final class TimestampTests: XCTestCase {
    func testParsesRFC3339() {
        XCTAssertEqual(Timestamp.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(Timestamp.parse("2026-11-26T17:00:00Z"), 1_795_712_400_000_000)
        XCTAssertEqual(Timestamp.parse("2026-11-26T17:00:00.25Z"), 1_795_712_400_250_000)
        XCTAssertEqual(Timestamp.parse("2026-11-26T18:00:00.123456789+01:00"), 1_795_712_400_123_456)
        XCTAssertEqual(Timestamp.parse("2026-11-26T16:30:00-00:30"), 1_795_712_400_000_000)
    }

    func testParsesEpochSeconds() {
        XCTAssertEqual(Timestamp.parse("1795712400"), 1_795_712_400_000_000)
        XCTAssertEqual(Timestamp.parse("1795712400.5"), 1_795_712_400_500_000)
        XCTAssertEqual(Timestamp.parse("1795712400.000001"), 1_795_712_400_000_001)
    }

    func testRejectsNonsense() {
        for text in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-26T17:00:00", "2026-11-26T17:00:00Zjunk", "1e9x"] {
            XCTAssertNil(Timestamp.parse(text), text)
        }
    }

    func testPrintsRFC3339RoundTrip() {
        let value: Int64 = 1_795_712_400_123_456
        XCTAssertEqual(Timestamp.rfc3339(value), "2026-11-26T17:00:00.123456Z")
        XCTAssertEqual(Timestamp.parse(Timestamp.rfc3339(value)), value)
    }

    func testTimesOutsideTheValidRangeAreRefused() {
        for text in ["9223372036854.775", "-9223372036854.775", "1e300", "9999-12-31T23:59:59Z", "1000-01-01T00:00:00Z",
                     "99999999999999999999999999999999"] {
            XCTAssertNil(Timestamp.parse(text), text)
        }
        XCTAssertEqual(Timestamp.parse("2255-01-01T00:00:00Z"), 8_993_721_600_000_000)
        for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.1e9] {
            XCTAssertNil(Timestamp.microseconds(fromSeconds: seconds), "\(seconds)")
        }
        XCTAssertEqual(Timestamp.microseconds(fromSeconds: 1_795_712_400.25), 1_795_712_400_250_000)
    }
}
