import Credentials
import Foundation
import XCTest
@testable import VideoIngest

/// RTSP Digest (RFC 2617, with and without qop) and Basic credentials against the access keys.
final class RTSPAuthenticatorTests: XCTestCase {
    let nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    func request(_ method: String, authorization: String?) -> RTSPRequest {
        RTSPRequest(method: method, uri: "/dir/index.html",
                    headers: [("CSeq", "2")] + (authorization.map { [("Authorization", $0)] } ?? []), body: [])
    }

    func testRFC2617DigestWithQop() {
        let auth = RTSPAuthenticator(keys: AccessKeys(["Mufasa": "Circle Of Life"]), realm: "testrealm@host.com")
        // RFC 2617 §3.5's example.
        let header = """
            Digest username="Mufasa", realm="testrealm@host.com", nonce="\(nonce)", uri="/dir/index.html", \
            qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", \
            opaque="5ccc069c403ebaf9f0171e9517f40e41"
            """
        XCTAssertTrue(auth.accepts(request("GET", authorization: header), nonce: nonce))
        XCTAssertFalse(auth.accepts(request("POST", authorization: header), nonce: nonce), "the method is part of the hash")
        XCTAssertFalse(auth.accepts(request("GET", authorization: header), nonce: "another"), "a nonce this connection never gave")
        let elsewhere = RTSPRequest(method: "GET", uri: "/other/index.html", headers: [("Authorization", header)], body: [])
        XCTAssertFalse(auth.accepts(elsewhere, nonce: nonce), "signed for another resource")
        XCTAssertFalse(auth.accepts(request("GET", authorization: header.replacingOccurrences(of: "nc=00000001", with: "nc=00000000")),
                                    nonce: nonce), "a nonce count of zero")
        XCTAssertFalse(RTSPAuthenticator(keys: AccessKeys(["Mufasa": "wrong"]), realm: "testrealm@host.com")
            .accepts(request("GET", authorization: header), nonce: nonce))
        XCTAssertFalse(RTSPAuthenticator(keys: AccessKeys(["Simba": "Circle Of Life"]), realm: "testrealm@host.com")
            .accepts(request("GET", authorization: header), nonce: nonce), "unknown user")
    }

    func testDigestWithoutQopAsFFmpegSendsIt() {
        let auth = RTSPAuthenticator(keys: AccessKeys(["Mufasa": "CircleOfLife"]), realm: "testrealm@host.com")
        // Response computed independently (Python hashlib): MD5(HA1:nonce:HA2).
        let header = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"\(nonce)\", uri=\"/dir/index.html\", response=\"1949323746fe6a43ef61f9606e7febea\""
        XCTAssertTrue(auth.accepts(request("GET", authorization: header), nonce: nonce))
        XCTAssertFalse(auth.accepts(request("GET", authorization: header.replacingOccurrences(of: "\"1949", with: "\"2949")), nonce: nonce))
        XCTAssertFalse(auth.accepts(request("GET", authorization: header + ", algorithm=SHA-256"), nonce: nonce), "only MD5 is offered")
    }

    func testBasicOnlyWhenAllowed() {
        let basic = "Basic " + Data("AKVIDEOD:s3cret".utf8).base64EncodedString()
        let digestOnly = RTSPAuthenticator(keys: AccessKeys(["AKVIDEOD": "s3cret"]))
        XCTAssertFalse(digestOnly.accepts(request("ANNOUNCE", authorization: basic), nonce: nonce), "Basic sends the secret in clear")
        XCTAssertEqual(digestOnly.challenge(nonce: "n").count, 1)
        XCTAssertEqual(RTSPAuthenticator(keys: AccessKeys(["AKVIDEOD": "s3cret"]), allowsBasic: true).challenge(nonce: "n").count, 2)
    }

    func testDigestURIMayBeTheRequestURIOrItsPath() {
        XCTAssertTrue(RTSPAuthenticator.digestURI("rtsp://h:8554/cam", names: "rtsp://h:8554/cam"))
        XCTAssertTrue(RTSPAuthenticator.digestURI("/cam", names: "rtsp://h:8554/cam"))
        XCTAssertFalse(RTSPAuthenticator.digestURI("/other", names: "rtsp://h:8554/cam"))
        XCTAssertFalse(RTSPAuthenticator.digestURI("rtsp://h:8554/other", names: "rtsp://h:8554/cam"))
    }

    func testBasicAndMissingOrGarbledCredentials() {
        let auth = RTSPAuthenticator(keys: AccessKeys(["AKVIDEOD": "s3:cret"]), allowsBasic: true)
        let basic = "Basic " + Data("AKVIDEOD:s3:cret".utf8).base64EncodedString()
        XCTAssertTrue(auth.accepts(request("ANNOUNCE", authorization: basic), nonce: nonce), "a password may hold colons")
        XCTAssertFalse(auth.accepts(request("ANNOUNCE", authorization: "Basic " + Data("AKVIDEOD:s3".utf8).base64EncodedString()), nonce: nonce))
        for garbage in [nil, "", "Basic", "Basic !!!", "Digest", "Digest username=", "Bearer x", "Digest ,,,=\"\\"] {
            XCTAssertFalse(auth.accepts(request("ANNOUNCE", authorization: garbage), nonce: nonce), garbage ?? "none")
        }
        XCTAssertEqual(auth.challenge(nonce: "n").map(\.value).first, "Digest realm=\"videod\", nonce=\"n\", algorithm=MD5")
    }

    func testParametersKeepCommasInsideQuotes() {
        XCTAssertEqual(RTSPAuthenticator.parameters("username=\"a,b\", uri=\"rtsp://h/x?y=1,2\", nc=00000001"),
                       ["username": "a,b", "uri": "rtsp://h/x?y=1,2", "nc": "00000001"])
    }
}
