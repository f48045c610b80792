/// One depacketized frame of an RTSP push; `pts` counts the track's RTP clock from the session start.
struct TimedAccessUnit: Sendable {
    var track: Int
    var pts: Int64
    var isKeyFrame: Bool
    var data: [UInt8]
}
