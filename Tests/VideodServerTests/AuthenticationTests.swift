import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import XCTest
@testable import AWSProtocol

/// Each route family authenticates its own way when keys are configured; without keys all is open.
final class AuthenticationTests: XCTestCase {
    static let keys = ["AKTEST": "s3cret"]

    /// Headers that sign a request as an SDK does, for the in-process client's host (`localhost`).
    static func signed(_ method: String, _ path: String, body: [UInt8], secret: String = "s3cret",
                       payloadHashHeader: Bool = false, declaredHash: String? = nil) -> HTTPFields {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = formatter.string(from: Date())
        let scope = "\(amzDate.prefix(8))/us-east-1/kinesis/aws4_request"
        let payloadHash = declaredHash ?? SigV4Verifier.sha256Hex(Data(body))
        var names = ["host", "x-amz-date"]
        var canonical = "host:localhost\nx-amz-date:\(amzDate)\n"
        if payloadHashHeader {
            names.append("x-amz-content-sha256")
            canonical += "x-amz-content-sha256:\(payloadHash)\n"
        }
        let signature = SigV4Verifier.signature(method: method, path: path, query: "", canonicalHeaders: canonical,
                                                signedHeaders: names.joined(separator: ";"), payloadHash: payloadHash,
                                                amzDate: amzDate, scope: scope, secret: secret)
        var headers = HTTPFields()
        headers[.authorization] = "AWS4-HMAC-SHA256 Credential=AKTEST/\(scope), SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
        headers[HTTPField.Name("X-Amz-Date")!] = amzDate
        if payloadHashHeader { headers[HTTPField.Name("x-amz-content-sha256")!] = payloadHash }
        return headers
    }

    static func basic(_ credentials: String) -> HTTPFields {
        [.authorization: "Basic " + Data(credentials.utf8).base64EncodedString()]
    }

    func testNativeAndEventRoutesWantBasicOrSignedHeaders() async throws {
        try await InProcessServer.run(keys: Self.keys) { client in
            let anonymous = try await client.execute(uri: "/streams", method: .get)
            XCTAssertEqual(anonymous.status, .unauthorized)
            XCTAssertEqual(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic"), true)
            XCTAssertEqual(try anonymous.json()["error"] as? String, "MissingAuthenticationTokenException")
            let withBasic = try await client.execute(uri: "/streams", method: .get, headers: Self.basic("AKTEST:s3cret"))
            XCTAssertEqual(withBasic.status, .ok)
            let wrongSecret = try await client.execute(uri: "/streams", method: .get, headers: Self.basic("AKTEST:nope"))
            XCTAssertEqual(wrongSecret.status,
                           .unauthorized)
            let signed = Self.signed("GET", "/streams", body: [], payloadHashHeader: true)
            let withSigV4 = try await client.execute(uri: "/streams", method: .get, headers: signed)
            XCTAssertEqual(withSigV4.status, .ok)
            let eventsAnonymous = try await client.execute(uri: "/datastreams/x/events", method: .get)
            XCTAssertEqual(eventsAnonymous.status, .unauthorized)
            let health = try await client.execute(uri: "/health", method: .get)
            XCTAssertEqual(health.status, .ok, "health is open")
        }
    }

    /// A query pair without a key (`?=`) once trapped SigV4's canonical query: the whole server died
    /// for one signed-looking request (found by the sigv4 fuzz harness).
    func testASignedRequestWithAnEmptyQueryKeyIsRefusedNotFatal() async throws {
        try await InProcessServer.run(keys: Self.keys) { client in
            let signed = Self.signed("GET", "/streams", body: [], payloadHashHeader: true)
            for uri in ["/streams?=", "/streams?=x&b", "/streams?&&="] {
                let response = try await client.execute(uri: uri, method: .get, headers: signed)
                XCTAssertEqual(response.status, .forbidden, uri)
            }
            let health = try await client.execute(uri: "/health", method: .get)
            XCTAssertEqual(health.status, .ok)
        }
    }

    /// A native body signed with SigV4 must be the body whose hash the signature covered.
    func testNativeBodiesMustMatchTheirSignedHash() async throws {
        let clip = try FFmpeg.fragmentedMP4(seconds: 4)
        try await InProcessServer.run(keys: Self.keys) { client in
            let basic = Self.basic("AKTEST:s3cret")
            _ = try await client.execute(uri: "/streams/cam", method: .put, headers: basic)
            let settings = Array(#"{"sensitivity": 0.7}"#.utf8)
            let good = try await client.execute(uri: "/streams/cam/analysis", method: .put,
                                                headers: Self.signed("PUT", "/streams/cam/analysis", body: settings, payloadHashHeader: true),
                                                body: ByteBuffer(bytes: settings))
            XCTAssertEqual(good.status, .ok, good.text)
            let other = Array(#"{"sensitivity": 0.1}"#.utf8)
            let swapped = try await client.execute(uri: "/streams/cam/analysis", method: .put,
                                                   headers: Self.signed("PUT", "/streams/cam/analysis", body: settings, payloadHashHeader: true),
                                                   body: ByteBuffer(bytes: other))
            XCTAssertEqual(swapped.status, .forbidden, swapped.text)
            let unsignedPayload = try await client.execute(
                uri: "/streams/cam/analysis", method: .put,
                headers: Self.signed("PUT", "/streams/cam/analysis", body: other, payloadHashHeader: true, declaredHash: "UNSIGNED-PAYLOAD"),
                body: ByteBuffer(bytes: other))
            XCTAssertEqual(unsignedPayload.status, .forbidden, unsignedPayload.text)
            let stored = try await client.execute(uri: "/streams/cam/analysis", method: .get, headers: basic).json()
            XCTAssertEqual((stored["settings"] as? [String: Any])?["sensitivity"] as? Double, 0.7, "only the signed body took effect")

            // A push whose body is not the signed one is refused at its end, and what it stored goes.
            let pushHeaders = Self.signed("POST", "/streams/cam/ingest", body: [1, 2, 3], payloadHashHeader: true)
            let replayed = try await client.execute(uri: "/streams/cam/ingest", method: .post, headers: pushHeaders,
                                                    body: ByteBuffer(bytes: clip))
            XCTAssertEqual(replayed.status, .forbidden, replayed.text)
            let fragments = try await client.execute(uri: "/streams/cam/fragments", method: .get, headers: basic).json()
            XCTAssertEqual((fragments["fragments"] as? [Any])?.count, 0)
            let signedPush = try await client.execute(
                uri: "/streams/cam/ingest", method: .post,
                headers: Self.signed("POST", "/streams/cam/ingest", body: clip, payloadHashHeader: true), body: ByteBuffer(bytes: clip))
            XCTAssertEqual(signedPush.status, .ok, signedPush.text)
        }
    }

    func testKinesisVerifiesTheSignatureOverTheBodyItRead() async throws {
        try await InProcessServer.run(keys: Self.keys) { client in
            let body = Array(#"{"StreamName": "auth", "ShardCount": 1}"#.utf8)
            let unsigned = try await client.kinesis("CreateStream", String(decoding: body, as: UTF8.self))
            XCTAssertEqual(unsigned.status, .forbidden)
            XCTAssertEqual(unsigned.header("x-amzn-ErrorType"), "MissingAuthenticationTokenException")
            // A stranger's large body is refused for who sent it, not for its size: it is not read.
            let large = try await client.kinesis("PutRecords", String(repeating: " ", count: 20 << 20))
            XCTAssertEqual(large.header("x-amzn-ErrorType"), "MissingAuthenticationTokenException")

            let good = try await client.kinesis("CreateStream", String(decoding: body, as: UTF8.self),
                                                headers: Self.signed("POST", "/", body: body))
            XCTAssertEqual(good.status, .ok, good.text)

            let tampered = Array(#"{"StreamName": "evil", "ShardCount": 1}"#.utf8)
            let replayed = try await client.kinesis("CreateStream", String(decoding: tampered, as: UTF8.self),
                                                    headers: Self.signed("POST", "/", body: body))
            XCTAssertEqual(replayed.status, .forbidden)
            XCTAssertEqual(replayed.header("x-amzn-ErrorType"), "InvalidSignatureException")

            let wrongSecret = try await client.kinesis("CreateStream", String(decoding: body, as: UTF8.self),
                                                       headers: Self.signed("POST", "/", body: body, secret: "guess"))
            XCTAssertEqual(wrongSecret.header("x-amzn-ErrorType"), "InvalidSignatureException")
        }
    }

    func testWithoutKeysEveryFamilyIsOpen() async throws {
        try await InProcessServer.run { client in
            let native = try await client.execute(uri: "/streams", method: .get)
            XCTAssertEqual(native.status, .ok)
            let kinesis = try await client.kinesis("ListStreams", "{}")
            XCTAssertEqual(kinesis.status, .ok)
        }
    }
}
