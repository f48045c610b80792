import AWSProtocol
import XCTest
@testable import KinesisVideo

/// PutMedia's wire details that producer SDKs depend on: the headers it reads and the exact
/// shape of each ack line (the SDK's ack parser scans characters, not JSON).
final class PutMediaWireTests: XCTestCase {
    func testAckLinesAreSpelledAsKVSWritesThem() {
        XCTAssertEqual(PutMediaAck(.buffering, timecode: 1_663_277_247_152).line,
                       #"{"EventType":"BUFFERING","FragmentTimecode":1663277247152}"#)
        XCTAssertEqual(PutMediaAck(.persisted, timecode: 2000, fragmentNumber: "91343852333181432511524306419788296366724229586").line,
                       #"{"EventType":"PERSISTED","FragmentTimecode":2000,"FragmentNumber":"91343852333181432511524306419788296366724229586"}"#)
        XCTAssertEqual(PutMediaAck(.error, timecode: 0, errorID: 4004).line, #"{"EventType":"ERROR","FragmentTimecode":0,"ErrorId":4004}"#)
        XCTAssertEqual(PutMediaAck(.idle).line, #"{"EventType":"IDLE"}"#)
    }

    func request(_ headers: [String: String]) throws -> PutMediaRequest {
        try PutMediaRequest { headers[$0] }
    }

    func testHeadersNameOneStreamAndHowTimecodesMapToTheProducerClock() throws {
        let relative = try request(["x-amzn-stream-name": "cam", "x-amzn-fragment-timecode-type": "RELATIVE",
                                    "x-amzn-producer-start-timestamp": "1663277247.152"])
        XCTAssertEqual(relative, PutMediaRequest(streamName: "cam", timecodeType: .relative, producerStart: 1_663_277_247_152_000))
        XCTAssertEqual(relative.producerZero(arrival: 5), 1_663_277_247_152_000)
        let absolute = try request(["x-amzn-stream-arn": "arn:x", "x-amzn-fragment-timecode-type": "ABSOLUTE"])
        XCTAssertEqual(absolute.producerZero(arrival: 5), 0)
        XCTAssertEqual(try request(["x-amzn-stream-name": "cam", "x-amzn-fragment-timecode-type": "RELATIVE"]).producerZero(arrival: 5), 5,
                       "no start timestamp: the session's arrival")
    }

    func testBadHeadersAreInvalidArgument() {
        let bad: [[String: String]] = [
            ["x-amzn-fragment-timecode-type": "RELATIVE"],
            ["x-amzn-stream-name": "a", "x-amzn-stream-arn": "b", "x-amzn-fragment-timecode-type": "RELATIVE"],
            ["x-amzn-stream-name": "a"],
            ["x-amzn-stream-name": "a", "x-amzn-fragment-timecode-type": "SOMETIMES"],
            ["x-amzn-stream-name": "a", "x-amzn-fragment-timecode-type": "RELATIVE", "x-amzn-producer-start-timestamp": "1e300"],
            ["x-amzn-stream-name": "a", "x-amzn-fragment-timecode-type": "RELATIVE", "x-amzn-producer-start-timestamp": "-5"],
            ["x-amzn-stream-name": "a", "x-amzn-fragment-timecode-type": "RELATIVE", "x-amzn-producer-start-timestamp": "soon"],
        ]
        for headers in bad {
            XCTAssertThrowsError(try request(headers), "\(headers)") { error in
                XCTAssertEqual((error as? AWSError)?.code, "InvalidArgumentException")
            }
        }
    }
}
