import AWSProtocol
import Foundation
import Fragments
import Playback

/// GetHLSStreamingSessionURL and the session's playlists and segments. The session lives in its
/// signed token; each request re-reads the archive, so LIVE playlists follow new fragments.
extension VideoStreamService {
    /// LIVE needs a fragment this recent when the session is made (KVS's rule).
    static let liveFreshness: Int64 = 30_000_000
    static let maxRange: Int64 = 24 * 3_600_000_000
    /// The end of a LIVE_REPLAY range left open.
    static let openEnd = Int64.max - 1

    func getHLSStreamingSessionURL(_ a: RequestMembers) throws -> AWSValue {
        let token = sessionToken.sign(try newSession(a, dash: false))
        return ["HLSStreamingSessionURL": .string(dataEndpoint() + "/hls/v1/getHLSMasterPlaylist.m3u8?SessionToken=" + token)]
    }

    func getDASHStreamingSessionURL(_ a: RequestMembers) throws -> AWSValue {
        let token = sessionToken.sign(try newSession(a, dash: true))
        return ["DASHStreamingSessionURL": .string(dataEndpoint() + "/dash/v1/getDASHManifest.mpd?SessionToken=" + token)]
    }

    /// A session from GetHLS/GetDASHStreamingSessionURL's members (DASH names its selector and
    /// fragment limit differently and has no container or discontinuity choice).
    private func newSession(_ a: RequestMembers, dash: Bool) throws -> StreamingSession {
        let stream = try resolveStream(a)
        let mode = try a.string("PlaybackMode").map {
            guard let mode = StreamingSession.Mode(rawValue: $0) else {
                throw VideoStreamError.invalidArgument("PlaybackMode must be LIVE, LIVE_REPLAY or ON_DEMAND.")
            }
            return mode
        } ?? .live
        guard let container = StreamingSession.Container(rawValue: (dash ? nil : try a.string("ContainerFormat")) ?? "FRAGMENTED_MP4") else {
            throw VideoStreamError.invalidArgument("ContainerFormat must be FRAGMENTED_MP4 or MPEG_TS.")
        }
        let selector = try a.object(dash ? "DASHFragmentSelector" : "HLSFragmentSelector")
        let kind: TimestampKind
        switch try selector?.string("FragmentSelectorType") ?? "SERVER_TIMESTAMP" {
        case "SERVER_TIMESTAMP": kind = .server
        case "PRODUCER_TIMESTAMP": kind = .producer
        default: throw VideoStreamError.invalidArgument("FragmentSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP.")
        }
        let range = try selector?.object("TimestampRange")
        let start = try range?.timestampMillis("StartTimestamp").map { $0 * 1000 }
        let end = try range?.timestampMillis("EndTimestamp").map { $0 * 1000 + 999 }
        let discontinuities: StreamingSession.Discontinuities = try (dash ? nil : a.string("DiscontinuityMode")).map {
            guard let value = StreamingSession.Discontinuities(rawValue: $0) else {
                throw VideoStreamError.invalidArgument("DiscontinuityMode must be ALWAYS, NEVER or ON_DISCONTINUITY.")
            }
            return value
        } ?? (kind == .server ? .always : .never)
        let showsTimes: Bool
        switch try a.string("DisplayFragmentTimestamp") ?? "NEVER" {
        case "ALWAYS": showsTimes = true
        case "NEVER": showsTimes = false
        default: throw VideoStreamError.invalidArgument("DisplayFragmentTimestamp must be ALWAYS or NEVER.")
        }
        let fragmentNumbers = dash ? try a.string("DisplayFragmentNumber") ?? "NEVER" : "NEVER"
        guard ["ALWAYS", "NEVER"].contains(fragmentNumbers) else {
            throw VideoStreamError.invalidArgument("DisplayFragmentNumber must be ALWAYS or NEVER.")
        }
        let expires = try a.int("Expires") ?? 300
        guard (300...43_200).contains(expires) else { throw VideoStreamError.invalidArgument("Expires must be 300 to 43200 seconds.") }
        let limitName = dash ? "MaxManifestFragmentResults" : "MaxMediaPlaylistFragmentResults"
        let maxFragments = try a.int(limitName) ?? (mode == .onDemand ? 1000 : 5)
        guard (1...5000).contains(maxFragments) else { throw VideoStreamError.invalidArgument("\(limitName) must be 1 to 5000.") }
        if stream.attributes.retentionHours == 0 {
            throw VideoStreamError.noDataRetention("The stream \(stream.name) keeps no data (DataRetentionInHours 0).")
        }
        let now = clock()
        var session = StreamingSession(streamID: stream.id, mode: mode, kind: kind, start: nil, end: nil, maxFragments: maxFragments,
                                       discontinuities: discontinuities, showsProgramDateTime: showsTimes, createdAt: now,
                                       expiresAt: now + Int64(expires) * 1_000_000, liveBase: nil, container: container)
        session.showsFragmentNumbers = fragmentNumbers == "ALWAYS"
        switch mode {
        case .onDemand, .liveReplay:
            // LIVE_REPLAY may leave the end open: it then runs on into live data.
            guard let start, end != nil || mode == .liveReplay else {
                throw VideoStreamError.invalidArgument(
                    "\(mode.rawValue) needs \(dash ? "DASH" : "HLS")FragmentSelector.TimestampRange with StartTimestamp\(mode == .onDemand ? " and EndTimestamp" : "").")
            }
            if let end {
                guard start < end, end - start <= Self.maxRange else {
                    throw VideoStreamError.invalidArgument("The TimestampRange must end after it starts and span at most 24 hours.")
                }
            }
            guard try !store.fragments(streamID: stream.id, kind: kind, from: start, to: (end ?? Self.openEnd) + 1, limit: 1).isEmpty else {
                throw VideoStreamError.notFound("The stream \(stream.name) has no fragments in that range.")
            }
            (session.start, session.end) = (start, end)
        case .live:
            guard range == nil else { throw VideoStreamError.invalidArgument("LIVE takes no TimestampRange.") }
            guard let newest = try store.newestFragment(streamID: stream.id), newest.serverStart >= now - Self.liveFreshness else {
                throw VideoStreamError.notFound("The stream \(stream.name) has no fragment from the last 30 seconds.")
            }
            session.liveBase = newest.number
        }
        return session
    }

    /// The session a playlist or segment request carries, checked: signed here, not expired,
    /// its stream still there.
    func openSession(_ token: String?) throws -> (StreamingSession, StreamRecord) {
        let session = try openToken(token)
        guard let stream = try store.stream(id: session.streamID) else {
            throw VideoStreamError.notFound("The session's stream no longer exists.")
        }
        return (session, stream)
    }

    /// The session a segment request carries: signed here and not expired. Its stream is not read:
    /// the fragment lookup that follows finds nothing once the stream is gone (deleting a stream
    /// deletes its fragments), which saves a catalog read per segment.
    func openToken(_ token: String?) throws -> StreamingSession {
        guard let token, let session = sessionToken.open(token) else {
            throw VideoStreamError.notAuthorized("The SessionToken is missing or not one this server issued.")
        }
        guard clock() < session.expiresAt else { throw VideoStreamError.notAuthorized("The streaming session has expired.") }
        return session
    }

    /// The fragments a media playlist lists now, the media sequence of the first, and whether
    /// the list is final.
    func playlistFragments(_ session: StreamingSession) throws -> (fragments: [FragmentRecord], sequence: Int, ended: Bool) {
        switch session.mode {
        case .onDemand:
            let fragments = try store.fragments(streamID: session.streamID, kind: session.kind, from: session.start ?? 0,
                                                to: (session.end ?? Self.openEnd) + 1, limit: session.maxFragments)
            return (fragments, 0, true)
        case .liveReplay:
            return try replayWindow(session)
        case .live:
            let fragments = try store.newestFragments(streamID: session.streamID, limit: session.maxFragments)
                .filter { $0.number >= session.liveBase ?? 0 }
            // A fragment's media sequence number is its ordinal in the stream: the same on every
            // reload, and unchanged when retention deletes older fragments.
            guard let first = fragments.first else { return ([], 0, false) }
            return (fragments, Int(clamping: first.ordinal), false)
        }
    }

    /// The fragments a session lists now (at least one), or ResourceNotFound.
    func listedFragments(_ session: StreamingSession, of stream: StreamRecord) throws -> (first: FragmentRecord, all: [FragmentRecord]) {
        let fragments = try playlistFragments(session).fragments
        guard let first = fragments.first else {
            throw VideoStreamError.notFound("The stream \(stream.name) has no fragments for this session yet.")
        }
        return (first, fragments)
    }

    /// LIVE_REPLAY: from the range's start, a fragment becomes listed once as much time has passed
    /// since the session began as lies between its start and the first fragment's (KVS adds one
    /// as the previous one's duration elapses). The newest `maxFragments` released are listed.
    private func replayWindow(_ session: StreamingSession) throws -> (fragments: [FragmentRecord], sequence: Int, ended: Bool) {
        let start = session.start ?? 0, end = session.end ?? Self.openEnd
        guard let first = try store.fragments(streamID: session.streamID, kind: session.kind, from: start, to: end + 1,
                                              limit: 1).first else { return ([], 0, false) }
        let elapsed = max(0, clock() - session.createdAt)
        let edge = min(end, first.start(session.kind).addingReportingOverflow(elapsed).partialValue)
        // Each reload reads the released part of the range: bounded by the range (≤ 24 h of
        // fragments when it has an end) and by the time the session has run.
        let released = try store.fragments(streamID: session.streamID, kind: session.kind, from: start, to: edge + 1,
                                           limit: Self.maxReplayFragments)
            .filter { $0.start(session.kind) <= edge }
        let shown = Array(released.suffix(session.maxFragments))
        return (shown, released.count - shown.count, session.end != nil && edge >= end)
    }

    /// Fragments a LIVE_REPLAY playlist considers at most (about 2 days of 2 s fragments).
    static let maxReplayFragments = 100_000

    /// A fragment a segment request names, if it is one the session may serve.
    func sessionFragment(_ session: StreamingSession, number text: String?) throws -> FragmentRecord {
        guard let text, text.count <= 128, let number = FragmentNumber(text),
              let fragment = try store.fragment(number: number), fragment.streamID == session.streamID else {
            throw VideoStreamError.notFound("FragmentNumber \(text ?? "(none)") is not a fragment of this session's stream.")
        }
        if session.mode == .live {
            guard fragment.number >= session.liveBase ?? 0 else {
                throw VideoStreamError.notFound("Fragment \(text) is older than this live session.")
            }
        } else if let start = session.start {
            let from = fragment.start(session.kind), end = session.end ?? Self.openEnd
            guard from <= end, from.addingReportingOverflow(fragment.duration).partialValue > start else {
                throw VideoStreamError.notFound("Fragment \(text) is outside this session's range.")
            }
        }
        return fragment
    }
}
