/// Where each RTP track's first frame sits on an RTSP push's timeline, which starts at the first
/// video frame. Each track keeps counting its own RTP clock from there. With RTCP sender reports
/// for the video and the track, the device's wall clock places it (encoders buffer audio and video
/// differently, so arrival can be off by their buffering); else its arrival does.
struct TrackAlignment {
    private var start: (arrival: Int64, wallClock: Int64?)?

    /// The session starts at the first video frame (arrival and, if reported, the device's clock, µs).
    mutating func startVideo(arrival: Int64, wallClock: Int64?) {
        if start == nil { start = (arrival, wallClock) }
    }

    var started: Bool { start != nil }

    /// Sender-report clocks further apart than this are not one device's clock; arrival decides.
    static let maxClockSkew: Int64 = 60_000_000

    /// µs after the session start at which a track's first frame belongs; nil before the start.
    /// May be negative: that track's first frames come from before the first video frame.
    func offset(arrival: Int64, wallClock: Int64?) -> Int64? {
        guard let start else { return nil }
        if let startClock = start.wallClock, let wallClock, abs(wallClock - startClock) <= Self.maxClockSkew {
            return wallClock - startClock
        }
        return arrival - start.arrival
    }
}
