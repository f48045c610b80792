@testable import VideoIngest

/// RTSP requests and `$` frames read incrementally, in the chunks the input cuts them into: the
/// parser never traps and its buffer stays within its limits.
enum RTSPHarness {
    static func run(_ bytes: [UInt8]) {
        var parser = RTSPParser()
        for chunk in pieces(bytes) {
            parser.append(chunk)
            while true {
                do {
                    guard let frame = try parser.next() else { break }
                    if case .request(let request) = frame { _ = request.cseq; _ = request.header("Session") }
                } catch {
                    return // the connection closes after an unparseable request
                }
            }
            require(parser.bufferedBytes <= RTSPParser.maxHeaderBytes + RTSPParser.maxBodyBytes + 65_540,
                    "parser buffer \(parser.bufferedBytes)")
        }
    }
}

/// SDP bodies as an ANNOUNCE carries them, and the tracks built from them.
enum SDPHarness {
    static func run(_ bytes: [UInt8]) {
        guard let description = try? SessionDescription(parsing: String(decoding: bytes, as: UTF8.self)) else { return }
        for media in description.media {
            require((1...Int(Int32.max)).contains(media.clockRate), "clock rate \(media.clockRate)")
            _ = media.parameterSets
            _ = try? RTSPTrack(media: media)
        }
    }
}

/// RTP packets (each piece one packet) through a depacketizer: frames stay within the limits.
enum RTPHarness {
    static func h264(_ bytes: [UInt8]) {
        var depacketizer = H264Depacketizer()
        for packet in packets(bytes) {
            for unit in depacketizer.push(packet) {
                require(unit.data.count <= H264Depacketizer.maxAccessUnitBytes, "access unit \(unit.data.count)")
            }
        }
    }

    static func h265(_ bytes: [UInt8]) {
        var depacketizer = H265Depacketizer()
        for packet in packets(bytes) {
            for unit in depacketizer.push(packet) {
                require(unit.data.count <= H265Depacketizer.maxAccessUnitBytes, "access unit \(unit.data.count)")
            }
        }
    }

    /// The first piece is the fmtp line's parameters (`key=value;…`), the rest packets.
    static func aac(_ bytes: [UInt8]) {
        let all = pieces(bytes)
        guard let first = all.first else { return }
        var fmtp: [String: String] = [:]
        for pair in String(decoding: first, as: UTF8.self).split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fmtp[String(kv[0]).lowercased()] = String(kv[1]) }
        }
        guard var depacketizer = try? AACDepacketizer(formatParameters: fmtp) else { return }
        for piece in all.dropFirst() {
            guard let packet = try? RTPPacket(parsing: piece) else { continue }
            for frame in depacketizer.push(packet) {
                require(frame.data.count <= AACDepacketizer.maxFrameBytes, "frame \(frame.data.count)")
            }
        }
    }

    static func packets(_ bytes: [UInt8]) -> [RTPPacket] {
        pieces(bytes).compactMap { try? RTPPacket(parsing: $0) }
    }
}

/// Compound RTCP packets; a sender report maps any RTP time without trapping.
enum RTCPHarness {
    static func run(_ bytes: [UInt8]) {
        guard let report = RTCPSenderReport(compound: bytes) else { return }
        for rate in [1, 8000, 90000, Int(Int32.max)] {
            _ = report.wallClock(ofRTP: report.rtpTimestamp &+ 12345, clockRate: rate)
            _ = report.wallClock(ofRTP: report.rtpTimestamp &- 0x7FFF_FFFF, clockRate: rate)
        }
    }
}

/// Digest and Basic `Authorization` headers against a configured key.
enum DigestHarness {
    static let authenticator = RTSPAuthenticator(keys: .init(["AKFUZZ": "secret"]))

    static func run(_ bytes: [UInt8]) {
        let header = String(decoding: bytes, as: UTF8.self)
        _ = RTSPAuthenticator.parameters(header)
        let request = RTSPRequest(method: "ANNOUNCE", uri: "rtsp://127.0.0.1/cam", headers: [("Authorization", header)], body: [])
        let accepted = authenticator.accepts(request, nonce: "0123456789abcdef0123456789abcdef")
        require(!accepted || header.contains("AKFUZZ") || header.contains("QUtGVVpaOnNlY3JldA"), "accepted without the key: \(header)")
    }
}

/// A PutMedia body in the pieces it arrives in: clusters open and close in turn, none past the limit.
enum MatroskaHarness {
    static func run(_ bytes: [UInt8]) {
        var scanner = MatroskaClusterScanner(maxClusterBytes: 1 << 16)
        var events: [MatroskaClusterScanner.Event] = []
        do {
            for piece in pieces(bytes) { events += try scanner.consume(piece) }
            events += try scanner.finish()
        } catch {
            return
        }
        var open = false
        for event in events {
            switch event {
            case .clusterStarted:
                require(!open, "a cluster started inside another")
                open = true
            case .clusterEnded(_, let size):
                require(size <= 1 << 16, "cluster of \(size) bytes past the limit")
                open = false
            }
        }
    }
}

