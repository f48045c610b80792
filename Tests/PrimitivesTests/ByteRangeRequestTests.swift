import Primitives
import XCTest

/// Range headers as browsers and ffmpeg send them, and the ones a server must not trust.
final class ByteRangeRequestTests: XCTestCase {
    func range(_ header: String?, _ length: Int = 1000) -> ByteRangeRequest { ByteRangeRequest(header: header, length: length) }

    func testTheFormsPlayersSend() {
        XCTAssertEqual(range("bytes=0-"), .part(0..<1000), "what a <video> asks first")
        XCTAssertEqual(range("bytes=100-199"), .part(100..<200))
        XCTAssertEqual(range("bytes=900-5000"), .part(900..<1000), "an end past the file is the file's end")
        XCTAssertEqual(range("bytes=-100"), .part(900..<1000), "the last 100 bytes")
        XCTAssertEqual(range("bytes=-5000"), .part(0..<1000))
        XCTAssertEqual(range(nil), .whole)
    }

    func testNothingToServeIs416() {
        XCTAssertEqual(range("bytes=1000-"), .unsatisfiable)
        XCTAssertEqual(range("bytes=1000-2000"), .unsatisfiable)
        XCTAssertEqual(range("bytes=-0"), .unsatisfiable)
        XCTAssertEqual(range("bytes=0-", 0), .unsatisfiable)
    }

    func testWhatIsNotUnderstoodIsIgnored() {
        for header in ["bytes=5-1", "bytes=0-1,5-6", "items=0-5", "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes=+1-2", "bytes= -",
                       "bytes=0x10-", String(repeating: "bytes=1-", count: 50)] {
            XCTAssertEqual(range(header), .whole, header)
        }
        XCTAssertEqual(range("bytes=99999999999999999999999-"), .unsatisfiable, "huge numbers clamp, never trap")
        XCTAssertEqual(range("bytes=0-99999999999999999999999"), .part(0..<1000))
        XCTAssertEqual(range("bytes=-99999999999999999999999"), .part(0..<1000))
    }
}
