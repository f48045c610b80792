import Fragments
import Playback
import XCTest

final class PageTokenTests: XCTestCase {
    func testPageTokensRoundTripAndAreTiedToTheClock() {
        let cursor = FragmentCursor(timestamp: 1_795_712_400_000_000, number: 42)
        let token = PageToken.encode(cursor, kind: .producer)
        XCTAssertEqual(PageToken.decode(token, kind: .producer), cursor)
        XCTAssertNil(PageToken.decode(token, kind: .server))
        XCTAssertNil(PageToken.decode("garbage!", kind: .producer))
    }
}
