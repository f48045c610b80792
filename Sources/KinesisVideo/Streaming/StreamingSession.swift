import Fragments

/// What a GetHLSStreamingSessionURL request asked for, carried inside its session token so that
/// every playlist and segment request can be answered without server-side session state.
struct StreamingSession: Equatable, Sendable {
    enum Mode: String, Sendable { case live = "LIVE", liveReplay = "LIVE_REPLAY", onDemand = "ON_DEMAND" }
    enum Discontinuities: String, Sendable { case always = "ALWAYS", never = "NEVER", onDiscontinuity = "ON_DISCONTINUITY" }
    enum Container: String, Sendable { case fragmentedMP4 = "FRAGMENTED_MP4", mpegTS = "MPEG_TS" }

    var streamID: Int64
    var mode: Mode
    var kind: TimestampKind
    /// The range asked for (µs, inclusive); nil ends for LIVE.
    var start: Int64?
    var end: Int64?
    var maxFragments: Int
    var discontinuities: Discontinuities
    var showsProgramDateTime: Bool
    /// Server time (µs) the session was made and until which it holds.
    var createdAt: Int64
    var expiresAt: Int64
    /// LIVE: the newest fragment when the session was made. Media sequence numbers count from it,
    /// and nothing older is served.
    var liveBase: FragmentNumber?
    var container: Container
    /// DASH's DisplayFragmentNumber: each segment of the manifest names its fragment.
    var showsFragmentNumbers = false

    /// Fields joined by ":" (none of them can hold one).
    var encoded: String {
        let optional: (Int64?) -> String = { $0.map { String($0) } ?? "" }
        let fields: [String] = ["s1", String(streamID), mode.rawValue, kind.rawValue, optional(start), optional(end),
                                String(maxFragments), discontinuities.rawValue, showsProgramDateTime ? "1" : "0",
                                String(createdAt), String(expiresAt), optional(liveBase), container.rawValue,
                                showsFragmentNumbers ? "1" : "0"]
        return fields.joined(separator: ":")
    }

    init(streamID: Int64, mode: Mode, kind: TimestampKind, start: Int64?, end: Int64?, maxFragments: Int,
         discontinuities: Discontinuities, showsProgramDateTime: Bool, createdAt: Int64, expiresAt: Int64,
         liveBase: FragmentNumber?, container: Container = .fragmentedMP4) {
        self.streamID = streamID
        self.mode = mode
        self.kind = kind
        self.start = start
        self.end = end
        self.maxFragments = maxFragments
        self.discontinuities = discontinuities
        self.showsProgramDateTime = showsProgramDateTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.liveBase = liveBase
        self.container = container
    }

    init?(encoded: String) {
        let parts = encoded.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        // Tokens issued before the 14th field (fragment numbers) still open.
        guard parts.count == 13 || parts.count == 14, let container = Container(rawValue: parts[12]), parts[0] == "s1", let streamID = Int64(parts[1]), let mode = Mode(rawValue: parts[2]),
              let kind = TimestampKind(rawValue: parts[3]), let maxFragments = Int(parts[6]),
              let discontinuities = Discontinuities(rawValue: parts[7]), let createdAt = Int64(parts[9]),
              let expiresAt = Int64(parts[10]) else { return nil }
        let start = parts[4].isEmpty ? nil : Int64(parts[4])
        let end = parts[5].isEmpty ? nil : Int64(parts[5])
        let liveBase = parts[11].isEmpty ? nil : FragmentNumber(parts[11])
        guard parts[4].isEmpty || start != nil, parts[5].isEmpty || end != nil, parts[11].isEmpty || liveBase != nil else { return nil }
        self.init(streamID: streamID, mode: mode, kind: kind, start: start, end: end, maxFragments: maxFragments,
                  discontinuities: discontinuities, showsProgramDateTime: parts[8] == "1", createdAt: createdAt, expiresAt: expiresAt,
                  liveBase: liveBase, container: container)
        showsFragmentNumbers = parts.count == 14 && parts[13] == "1"
    }
}
