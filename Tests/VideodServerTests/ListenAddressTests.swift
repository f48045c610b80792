import VideodServer
import XCTest

/// Without keys videod listens on loopback only, so "is loopback" must be about where a name
/// leads, not how it is spelt.
final class ListenAddressTests: XCTestCase {
    func testOnlyAddressesThatResolveToLoopbackAreLoopback() {
        for text in ["127.0.0.1:8080", "127.1.2.3:0", "localhost:8080", "[::1]:8080"] {
            XCTAssertEqual(ListenAddress(text)?.isLoopback, true, text)
        }
        for text in ["0.0.0.0:8080", ":8080", "10.0.0.1:8080", "[::]:8080", "127.example.com:8080", "127.0.0.1.nip.io:80"] {
            XCTAssertEqual(ListenAddress(text)?.isLoopback, false, text)
        }
        XCTAssertNil(ListenAddress("no-port"))
        XCTAssertNil(ListenAddress("host:70000"))
    }

    func testAConfigurationWithoutKeysRefusesOtherInterfaces() {
        var configuration = ServerConfiguration()
        configuration.http = ListenAddress("0.0.0.0:8080")!
        XCTAssertThrowsError(try configuration.validate())
        configuration.http = ListenAddress("127.0.0.1:8080")!
        configuration.rtsp = ListenAddress("127.example.com:8554")!
        XCTAssertThrowsError(try configuration.validate())
        configuration.rtsp = ListenAddress("127.0.0.1:8554")!
        XCTAssertNoThrow(try configuration.validate())
    }
}
