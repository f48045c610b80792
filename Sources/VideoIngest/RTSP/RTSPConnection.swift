import Foundation
import Fragments
import Logging
import Media
import Primitives

/// One RTSP client connection pushing a stream (ANNOUNCE → SETUP → RECORD, RTP interleaved on
/// the TCP connection). Received bytes go in; replies come out; RTP packets are depacketized into
/// access units that go, timestamped on the RTP clock, to an ingest session's fragment writer —
/// the same fragmenting and storage as an HTTP push. Awaiting `receive` is the backpressure.
final class RTSPConnection {
    private let ingest: IngestService
    private let remote: String
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    /// Nil when no access keys are configured (videod then listens on loopback only).
    private let authenticator: RTSPAuthenticator?
    private let nonce = RTSPAuthenticator.makeNonce()
    /// A request on this connection proved a key; what follows rides on the same connection.
    private var authenticated = false
    private var parser = RTSPParser()
    private var streamName: String?
    private var tracks: [RTSPTrack] = []
    private let sessionID = String(UInt64.random(in: 1...UInt64.max), radix: 16)
    private var setUp = false
    private var session: IngestSession?
    private var outcome: Task<IngestOutcome, Never>?
    private var source: RTPPacketSource?
    private var alignment = TrackAlignment()
    private var closing = false
    /// The latest RTCP sender report per track index.
    private var senderReports: [Int: RTCPSenderReport] = [:]
    /// Access units not yet handed to the session: queued once per received batch of bytes,
    /// because every write wakes the ingest thread.
    private var pending: [TimedAccessUnit] = []

    static let methods = "OPTIONS, ANNOUNCE, SETUP, RECORD, GET_PARAMETER, SET_PARAMETER, TEARDOWN"

    /// Seconds of silence after which the connection is closed, as the Session header says.
    private let sessionTimeout: Int64

    init(ingest: IngestService, remote: String, logger: Logger, authenticator: RTSPAuthenticator? = nil,
         sessionTimeout: Int64 = 60, clock: @escaping @Sendable () -> Int64 = WallClock.now) {
        self.ingest = ingest
        self.sessionTimeout = sessionTimeout
        self.authenticator = authenticator
        self.remote = remote
        self.logger = logger
        self.clock = clock
    }

    /// Handles received bytes; returns what to send back and whether to close the connection.
    func receive<Bytes: Collection<UInt8>>(_ bytes: Bytes) async -> (reply: [UInt8], close: Bool) {
        parser.append(bytes)
        var reply: [UInt8] = []
        while !closing {
            let frame: RTSPParser.Frame?
            do {
                frame = try parser.next()
            } catch {
                logger.info("RTSP connection closed: unreadable request", metadata: ["remote": "\(remote)", "error": "\(error)"])
                let status = (error as? RTSPParser.ParseError).map(Self.status) ?? (400, "Bad Request")
                reply += RTSPResponse(status: status.0, reason: status.1, cseq: nil).bytes
                closing = true
                break
            }
            guard let frame else { break }
            switch frame {
            case let .request(request):
                reply += await handle(request).bytes
            case let .interleaved(channel, payload):
                interleaved(channel: channel, payload: payload)
            }
        }
        if let session { await flush(session) }
        return (reply, closing)
    }

    /// RECORD has started an ingest session (media is flowing).
    var isRecording: Bool { session != nil }

    /// Bytes received but not yet parsed (bounded by the parser's limits).
    var bufferedBytes: Int { parser.bufferedBytes }

    /// The connection is gone: end the ingest session and wait for what it stored.
    func closed() async {
        await finishSession()
    }

    private static func status(_ error: RTSPParser.ParseError) -> (Int, String) {
        switch error {
        case .headersTooLarge: (431, "Request Header Fields Too Large")
        case .bodyTooLarge: (413, "Request Entity Too Large")
        case .unsupportedVersion: (505, "RTSP Version Not Supported")
        default: (400, "Bad Request")
        }
    }

    // MARK: requests

    private func handle(_ request: RTSPRequest) async -> RTSPResponse {
        let cseq = request.cseq
        func error(_ status: Int, _ reason: String, _ why: String) -> RTSPResponse {
            logger.info("RTSP request refused", metadata: ["remote": "\(remote)", "method": "\(request.method)",
                                                           "status": "\(status)", "why": "\(why)"])
            return RTSPResponse(status: status, reason: reason, cseq: cseq, headers: [("X-Videod-Error", why)])
        }
        guard cseq != nil else { return error(400, "Bad Request", "missing CSeq") }
        if let authenticator, !authenticated, request.method != "OPTIONS" {
            guard authenticator.accepts(request, nonce: nonce) else {
                let why = request.header("Authorization") == nil ? "no credentials" : "wrong credentials"
                var refused = error(401, "Unauthorized", why)
                refused.headers += authenticator.challenge(nonce: nonce)
                return refused
            }
            authenticated = true
        }
        if setUp, request.method != "OPTIONS", let given = request.header("Session"),
           given.split(separator: ";").first.map(String.init) != sessionID {
            return error(454, "Session Not Found", "unknown session \(given.prefix(40))")
        }
        switch request.method {
        case "OPTIONS":
            return RTSPResponse(status: 200, reason: "OK", cseq: cseq, headers: [("Public", Self.methods)])
        case "ANNOUNCE":
            return announce(request, error: error)
        case "SETUP":
            return setup(request, error: error)
        case "RECORD":
            return record(request, error: error)
        case "GET_PARAMETER", "SET_PARAMETER":
            return RTSPResponse(status: 200, reason: "OK", cseq: cseq, headers: sessionHeader)
        case "TEARDOWN":
            closing = true
            await finishSession()
            return RTSPResponse(status: 200, reason: "OK", cseq: cseq, headers: sessionHeader)
        case "DESCRIBE", "PLAY", "PAUSE":
            return error(405, "Method Not Allowed", "videod takes pushed streams (ANNOUNCE/RECORD); playback is over HTTP")
        default:
            return error(501, "Not Implemented", "unknown method \(request.method.prefix(20))")
        }
    }

    private var sessionHeader: [(name: String, value: String)] {
        setUp ? [("Session", "\(sessionID);timeout=\(sessionTimeout)")] : []
    }

    private func announce(_ request: RTSPRequest, error: (Int, String, String) -> RTSPResponse) -> RTSPResponse {
        guard session == nil else { return error(455, "Method Not Valid in This State", "already recording") }
        guard let name = Self.streamName(fromURI: request.uri) else {
            return error(400, "Bad Request", "the URL path must name the stream: rtsp://host:port/<stream>")
        }
        guard StreamName.isValid(name) else { return error(400, "Bad Request", StreamName.rule) }
        guard !request.body.isEmpty else { return error(400, "Bad Request", "ANNOUNCE needs an SDP body") }
        let description: SessionDescription
        do {
            description = try SessionDescription(parsing: String(decoding: request.body, as: UTF8.self))
        } catch let parseError {
            return error(400, "Bad Request", "unreadable SDP: \(parseError)")
        }
        var accepted: [RTSPTrack] = []
        do {
            for media in description.media {
                if let track = try RTSPTrack(media: media), !accepted.contains(where: { $0.isVideo == track.isVideo }) {
                    accepted.append(track)
                }
            }
        } catch let configError {
            return error(415, "Unsupported Media Type", "AAC stream not usable: \(configError)")
        }
        guard accepted.contains(where: \.isVideo) else {
            let found = description.media.map { "\($0.kind) \($0.encoding)" }.joined(separator: ", ")
            return error(415, "Unsupported Media Type", "no H.264 or H.265 video (found: \(found))")
        }
        streamName = name
        tracks = accepted.sorted { $0.isVideo && !$1.isVideo }
        return RTSPResponse(status: 200, reason: "OK", cseq: request.cseq)
    }

    private func setup(_ request: RTSPRequest, error: (Int, String, String) -> RTSPResponse) -> RTSPResponse {
        guard streamName != nil else { return error(455, "Method Not Valid in This State", "SETUP before ANNOUNCE") }
        let transport = request.header("Transport") ?? ""
        let parts = transport.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.uppercased() == "RTP/AVP/TCP",
              let interleaved = parts.first(where: { $0.lowercased().hasPrefix("interleaved=") }),
              let channel = UInt8(interleaved.dropFirst("interleaved=".count).split(separator: "-").first ?? "") else {
            return error(461, "Unsupported Transport", "only RTP/AVP/TCP with interleaved channels is supported")
        }
        guard let index = tracks.firstIndex(where: { Self.controlMatches($0.media.control, uri: request.uri) }) else {
            return error(404, "Not Found", "no announced video/audio track for \(request.uri.prefix(200))")
        }
        tracks[index].channel = channel
        setUp = true
        return RTSPResponse(status: 200, reason: "OK", cseq: request.cseq,
                            headers: [("Transport", "RTP/AVP/TCP;unicast;interleaved=\(channel)-\(channel &+ 1);mode=record")]
                                + sessionHeader)
    }

    private func record(_ request: RTSPRequest, error: (Int, String, String) -> RTSPResponse) -> RTSPResponse {
        guard setUp, let streamName, tracks.contains(where: { $0.isVideo && $0.channel != nil }) else {
            return error(455, "Method Not Valid in This State", "RECORD before SETUP of the video track")
        }
        guard session == nil else { return RTSPResponse(status: 200, reason: "OK", cseq: request.cseq, headers: sessionHeader) }
        tracks.removeAll { $0.channel == nil }
        do {
            let session = try ingest.begin(IngestRequest(streamName: streamName, source: "rtsp", remoteAddress: remote))
            let source = RTPPacketSource(tracks: tracks.map { .init(format: $0.format, clockRate: $0.media.clockRate) },
                                         capacity: ingest.configuration.bufferBytes)
            self.session = session
            self.source = source
            outcome = Task { await session.run(rtp: source) }
        } catch let ingestError as IngestError {
            switch ingestError {
            case .streamBusy(let m), .overloaded(let m): return error(453, "Not Enough Bandwidth", m)
            case .shuttingDown(let m): return error(503, "Service Unavailable", m)
            case .streamNotFound(let m): return error(404, "Not Found", m)
            default: return error(400, "Bad Request", "\(ingestError)")
            }
        } catch let other {
            return error(500, "Internal Server Error", "\(other)")
        }
        logger.info("RTSP record started", metadata: ["stream": "\(streamName)", "remote": "\(remote)"])
        return RTSPResponse(status: 200, reason: "OK", cseq: request.cseq, headers: sessionHeader)
    }

    // MARK: media

    private func interleaved(channel: UInt8, payload: ArraySlice<UInt8>) {
        if let index = tracks.firstIndex(where: { $0.channel.map { $0 &+ 1 } == channel }) {
            if let report = RTCPSenderReport(compound: Array(payload)) { senderReports[index] = report }
            return
        }
        guard let session, let index = tracks.firstIndex(where: { $0.channel == channel }) else { return } // before RECORD
        let packet: RTPPacket
        do {
            packet = try RTPPacket(parsing: payload)
        } catch {
            return // not RTP (wrong version, too short): counted as lost by the sequence gap
        }
        guard packet.payloadType == tracks[index].media.payloadType else { return }
        for frame in tracks[index].push(packet) {
            if tracks[index].firstOffset == nil {
                // The clock is read only for a track's first frame (reading it per packet showed in profiles).
                let now = clock()
                let rate = tracks[index].media.clockRate
                // The device's clock at this frame, when it sent a sender report.
                let wallClock = senderReports[index]?.wallClock(ofRTP: UInt32(truncatingIfNeeded: frame.timestamp), clockRate: rate)
                if tracks[index].isVideo && !alignment.started {
                    alignment.startVideo(arrival: now, wallClock: wallClock)
                    if let wallClock { session.setProducerStart(wallClock, clock: "rtcp-sender-report") }
                }
                guard let offset = alignment.offset(arrival: now, wallClock: wallClock) else { continue } // before the first video frame
                tracks[index].firstTimestamp = frame.timestamp
                tracks[index].firstOffset = FragmentTiming.ticks(offset, timescale: UInt32(rate))
            }
            // Each track counts its own RTP clock from its first frame, placed by `alignment`.
            let pts = tracks[index].firstOffset! + frame.timestamp - tracks[index].firstTimestamp!
            guard pts >= 0 else { continue } // audio from before the first video frame
            pending.append(TimedAccessUnit(track: index, pts: pts, isKeyFrame: frame.isKeyFrame, data: frame.data))
        }
    }

    private func flush(_ session: IngestSession) async {
        session.reportLost(tracks.map(\.lost).reduce(0, +))
        guard !pending.isEmpty, let source else { return }
        let units = pending
        pending = []
        if !(await source.queue.write(units)) {
            closing = true // the session ended (bad media): stop reading
        }
    }

    private func finishSession() async {
        guard let session, let outcome else { return }
        await flush(session)
        self.session = nil
        self.outcome = nil
        source?.queue.finish()
        let result = await outcome.value
        logger.info("RTSP record ended", metadata: ["stream": "\(session.streamName)", "fragments": "\(result.summary.fragments)",
                                                    "lost": "\(tracks.map(\.lost).reduce(0, +))",
                                                    "error": "\(result.error.map { "\($0)" } ?? "none")"])
    }

    // MARK: URLs

    /// `rtsp://host:port/cam1` (or `rtsps://`) → "cam1" (the first path component; query ignored).
    static func streamName(fromURI uri: String) -> String? {
        guard let url = URLComponents(string: uri), ["rtsp", "rtsps"].contains(url.scheme?.lowercased() ?? "") else { return nil }
        let parts = url.path.split(separator: "/")
        return parts.first.map(String.init)
    }

    /// A SETUP URL names a track by its `control` attribute: absolute, or relative to the stream URL.
    static func controlMatches(_ control: String?, uri: String) -> Bool {
        guard let control, control != "*" else { return false }
        if control.lowercased().hasPrefix("rtsp://") { return control == uri }
        return uri.hasSuffix("/" + control)
    }
}
