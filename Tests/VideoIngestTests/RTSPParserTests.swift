import XCTest
@testable import VideoIngest

final class RTSPParserTests: XCTestCase {
    let announceSDP = """
        v=0\r
        o=- 0 0 IN IP4 127.0.0.1\r
        s=No Name\r
        t=0 0\r
        m=video 0 RTP/AVP 96\r
        a=rtpmap:96 H264/90000\r
        a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==; profile-level-id=42001F\r
        a=control:streamid=0\r
        m=audio 0 RTP/AVP 97\r
        a=rtpmap:97 MPEG4-GENERIC/48000/2\r
        a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=1190\r
        a=control:streamid=1\r

        """

    func testRequestsWithBodiesAndInterleavedFramesSplitAcrossReads() throws {
        let announce = "ANNOUNCE rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\nCSeq: 2\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: \(announceSDP.utf8.count)\r\n\r\n" + announceSDP
        let bytes = Array("OPTIONS rtsp://127.0.0.1:8554/cam1 RTSP/1.0\r\nCSeq: 1\r\n\r\n".utf8) + Array(announce.utf8)
            + [0x24, 0x00, 0x00, 0x03, 0xAA, 0xBB, 0xCC]
        var parser = RTSPParser()
        var frames: [RTSPParser.Frame] = []
        for chunk in stride(from: 0, to: bytes.count, by: 7) {
            parser.append(Array(bytes[chunk..<min(chunk + 7, bytes.count)]))
            while let frame = try parser.next() { frames.append(frame) }
        }
        XCTAssertEqual(frames.count, 3)
        guard case .request(let options) = frames[0], case .request(let ann) = frames[1] else { return XCTFail() }
        XCTAssertEqual(options.method, "OPTIONS")
        XCTAssertEqual(options.cseq, "1")
        XCTAssertEqual(ann.header("content-type"), "application/sdp")
        XCTAssertEqual(String(decoding: ann.body, as: UTF8.self), announceSDP)
        XCTAssertEqual(frames[2], .interleaved(channel: 0, payload: [0xAA, 0xBB, 0xCC]))
        XCTAssertEqual(parser.bufferedBytes, 0)
    }

    func testHostileInputFailsWithoutGrowingMemory() {
        func error(_ text: String) -> RTSPParser.ParseError? {
            var parser = RTSPParser()
            parser.append(Array(text.utf8))
            do { _ = try parser.next(); return nil } catch { return error as? RTSPParser.ParseError }
        }
        XCTAssertEqual(error("GARBAGE\r\n\r\n"), .malformedRequestLine("GARBAGE"))
        XCTAssertEqual(error("OPTIONS * HTTP/1.1\r\n\r\n"), .unsupportedVersion("HTTP/1.1"))
        XCTAssertEqual(error("OPTIONS * RTSP/1.0\r\nNoColon\r\n\r\n"), .malformedHeader("NoColon"))
        XCTAssertEqual(error("ANNOUNCE * RTSP/1.0\r\nContent-Length: -5\r\n\r\n"), .badContentLength("-5"))
        XCTAssertEqual(error("ANNOUNCE * RTSP/1.0\r\nContent-Length: 99999999\r\n\r\n"), .bodyTooLarge(99_999_999))
        XCTAssertEqual(error("OPTIONS * RTSP/1.0\r\nX: " + String(repeating: "a", count: 20_000)), .headersTooLarge)
    }

    func testResponseSerialisation() {
        let response = RTSPResponse(status: 200, reason: "OK", cseq: "3", headers: [("Session", "abc;timeout=60")])
        XCTAssertEqual(String(decoding: response.bytes, as: UTF8.self), "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: abc;timeout=60\r\n\r\n")
    }

    func testSDPMediaSectionsAndParameterSets() throws {
        let sdp = try SessionDescription(parsing: announceSDP)
        XCTAssertEqual(sdp.media.count, 2)
        let video = sdp.media[0]
        XCTAssertEqual(video.encoding, "H264")
        XCTAssertEqual(video.clockRate, 90000)
        XCTAssertEqual(video.control, "streamid=0")
        XCTAssertEqual(video.formatParameters["packetization-mode"], "1")
        XCTAssertEqual(video.parameterSets.map { $0.first }, [0x67, 0x68])
        XCTAssertEqual(sdp.media[1].encoding, "MPEG4-GENERIC")
        XCTAssertEqual(sdp.media[1].channels, 2)
        XCTAssertEqual(sdp.media[1].formatParameters["config"], "1190")
        XCTAssertThrowsError(try SessionDescription(parsing: "v=0\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "m=video 0 RTP/AVP 96\r\n"))
        XCTAssertThrowsError(try SessionDescription(parsing: "m=video 0 RTP/AVP x\r\n"))
    }

    func testClockRatesAndChannelCountsOutOfRangeAreRefused() {
        for rtpmap in ["H264/2147483648", "H264/9223372036854775807", "H264/0", "H264/-90000",
                       "MPEG4-GENERIC/48000/0", "MPEG4-GENERIC/48000/9999999999"] {
            XCTAssertThrowsError(try SessionDescription(parsing: "m=video 0 RTP/AVP 96\r\na=rtpmap:96 \(rtpmap)\r\n"), rtpmap)
        }
        XCTAssertNoThrow(try SessionDescription(parsing: "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/2147483647\r\n"))
    }
}
