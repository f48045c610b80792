import Media

/// How an announced RTP track is stored.
enum RTPTrackFormat: Sendable {
    /// Parameter sets from the SDP, Annex B; empty when the stream sends them in band. Frames
    /// themselves are length-prefixed NAL units.
    case video(VideoCodec, parameterSets: [UInt8])
    case aac(config: [UInt8], sampleRate: Int, channels: Int)
}
