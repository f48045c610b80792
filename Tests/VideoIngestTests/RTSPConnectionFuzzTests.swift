import Foundation
import Fragments
import Logging
import Media
import TestSupport
import XCTest
@testable import VideoIngest

/// Thousands of mutated RTSP sessions (requests, SDP, interleaved RTP) through the real
/// connection state machine, depacketizers and RTP packet source into a real ingest service:
/// no crash, the parser's buffer stays bounded, and the service is usable afterwards.
final class RTSPConnectionFuzzTests: XCTestCase {
    private func request(_ method: String, _ path: String, _ cseq: Int, _ headers: [String] = [], body: String = "") -> [UInt8] {
        var lines = ["\(method) rtsp://127.0.0.1:8554/\(path) RTSP/1.0", "CSeq: \(cseq)"] + headers
        if !body.isEmpty { lines.append("Content-Length: \(body.utf8.count)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    private func session(stream: String, generator: inout SeededGenerator) -> [UInt8] {
        let sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==\r\na=control:streamid=0\r\n"
        var bytes = request("OPTIONS", stream, 1) + request("ANNOUNCE", stream, 2, ["Content-Type: application/sdp"], body: sdp)
            + request("SETUP", "\(stream)/streamid=0", 3, ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"])
            + request("RECORD", stream, 4)
        for i in 0..<60 {
            let nal: [UInt8] = i % 15 == 0 ? [0x65] : [0x41]
            let payload = nal + (0..<Int.random(in: 1..<200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let ts = UInt32(i * 6000)
            let rtp: [UInt8] = [0x80, 0xE0, UInt8(i >> 8), UInt8(i & 0xFF), UInt8(ts >> 24), UInt8(ts >> 16 & 0xFF),
                                UInt8(ts >> 8 & 0xFF), UInt8(ts & 0xFF), 0, 0, 0, 1] + payload
            bytes += [0x24, 0, UInt8(rtp.count >> 8), UInt8(rtp.count & 0xFF)] + rtp
        }
        return bytes + request("TEARDOWN", stream, 5)
    }

    private func mutate(_ bytes: [UInt8], generator: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: // flip bytes
            for _ in 0..<Int.random(in: 1..<20, using: &generator) {
                out[Int.random(in: 0..<out.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
        case 1: // truncate
            out = Array(out.prefix(Int.random(in: 0..<out.count, using: &generator)))
        case 2: // insert junk
            let at = Int.random(in: 0..<out.count, using: &generator)
            out.insert(contentsOf: (0..<Int.random(in: 1..<400, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: at)
        case 3: // duplicate a slice
            let a = Int.random(in: 0..<out.count, using: &generator)
            let b = min(out.count, a + Int.random(in: 1..<2000, using: &generator))
            out.insert(contentsOf: out[a..<b], at: Int.random(in: 0..<out.count, using: &generator))
        default: // pure noise
            out = (0..<Int.random(in: 0..<3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        return out
    }

    func testMutatedSessionsNeverCrashAndStayBounded() async throws {
        let temporary = TemporaryDirectory("rtsp-fuzz")
        defer { temporary.remove() }
        let directory = temporary.path
        MediaLogging.quiet() // the demuxer's complaints about garbage are expected here
        let store = try FragmentStore(directory: directory)
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let ingest = IngestService(store: store, configuration: .init(), logger: logger)
        var generator = SeededGenerator(seed: 2026)
        let deadline = Date().addingTimeInterval(4)
        var iterations = 0
        while Date() < deadline && iterations < 3000 {
            let valid = session(stream: "fuzz\(iterations % 7)", generator: &generator)
            let bytes = iterations % 10 == 0 ? valid : mutate(valid, generator: &generator)
            let connection = RTSPConnection(ingest: ingest, remote: "fuzz", logger: logger)
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + Int.random(in: 1..<4096, using: &generator))
                let (_, close) = await connection.receive(Array(bytes[offset..<end]))
                XCTAssertLessThanOrEqual(connection.bufferedBytes, RTSPParser.maxHeaderBytes + RTSPParser.maxBodyBytes + 4096 + 4)
                offset = end
                if close { break }
            }
            await connection.closed()
            iterations += 1
        }
        XCTAssertGreaterThan(iterations, 50)
        print("RTSP fuzz: \(iterations) mutated sessions")
        for name in (0..<7).map({ "fuzz\($0)" }) { XCTAssertFalse(ingest.isIngesting(name), "\(name) still reserved") }
    }
}
