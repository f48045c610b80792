import AWSProtocol
import XCTest

final class ARNTests: XCTestCase {
    func testVideoStreamARNsRoundTripAndNameTheirStream() throws {
        let identity = AWSIdentity(region: "eu-west-1", account: "123456789012")
        let arn = ARN.videoStream("cam.1", createdAt: 1_795_712_400_123_456, in: identity)
        XCTAssertEqual(arn, "arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam.1/1795712400123")
        let parts = try XCTUnwrap(ARN.videoStream(from: arn, in: identity))
        XCTAssertEqual(parts.name, "cam.1")
        XCTAssertEqual(parts.createdMillis, 1_795_712_400_123)
        XCTAssertNil(ARN.videoStream(from: arn, in: .local), "another region and account")
        for bad in ["", "arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam", "arn:aws:kinesisvideo:eu-west-1:123456789012:stream//1",
                    "arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam/x", "arn:aws:kinesis:eu-west-1:123456789012:stream/cam/1"] {
            XCTAssertNil(ARN.videoStream(from: bad, in: identity), bad)
        }
        XCTAssertEqual(ARN.dataStreamName(from: ARN.dataStream("ev", in: identity)), "ev")
    }
}
