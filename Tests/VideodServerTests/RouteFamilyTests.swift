import HTTPTypes
@testable import VideodServer
import XCTest

/// Request metrics are labelled by a small fixed set of families, whatever path a client sends.
final class RouteFamilyTests: XCTestCase {
    func testPathsFallIntoTheirAPIFamilies() {
        let cases: [(String, HTTPRequest.Method, String)] = [
            ("/streams/cam1/ingest", .post, "ingest"), ("/streams/cam1/fragments", .get, "native"), ("/streams", .get, "native"),
            ("/hls/v1/getHLSMasterPlaylist.m3u8", .get, "hls"), ("/dash/v1/getDASHManifest.mpd", .get, "dash"),
            ("/datastreams/events/events", .get, "datastream-events"), ("/metrics", .get, "operations"),
            ("/putMedia", .post, "putmedia"), ("/getMedia", .post, "kinesisvideo-media"), ("/", .post, "kinesis"),
            ("/describeStream", .post, "kinesisvideo"), ("/no/such/thing", .get, "other"), ("/", .get, "other"),
        ]
        for (path, method, family) in cases {
            XCTAssertEqual(RouteFamily.of(path: path, method: method), family, path)
        }
        XCTAssertEqual(RouteFamily.method(HTTPRequest.Method("PROPFIND")!), "other")
        XCTAssertEqual(RouteFamily.method(.get), "GET")
    }
}
