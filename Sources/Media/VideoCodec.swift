import CFFmpeg

/// H.264 or H.265, the video codecs videod stores.
public enum VideoCodec: String, Sendable {
    case h264, hevc

    var id: AVCodecID { self == .h264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC }
}
