import CFFmpeg

/// What a demuxed track carries, in plain Swift values.
public struct StreamInfo: Sendable, Equatable {
    public enum Kind: String, Sendable { case video, audio, other }

    public let index: Int
    public let kind: Kind
    public let codecName: String
    public let width: Int
    public let height: Int
    public let sampleRate: Int
    public let channels: Int
    /// Time base as (numerator, denominator).
    public let timeBase: (Int32, Int32)
    public let hasExtradata: Bool

    public static func == (a: StreamInfo, b: StreamInfo) -> Bool {
        a.index == b.index && a.kind == b.kind && a.codecName == b.codecName && a.width == b.width
            && a.height == b.height && a.timeBase == b.timeBase
    }

    init(index: Int, stream: UnsafeMutablePointer<AVStream>) {
        self.init(index: index, parameters: stream.pointee.codecpar,
                  timeBase: (stream.pointee.time_base.num, stream.pointee.time_base.den))
    }

    /// A track described by codec parameters built without a demuxer (RTP).
    public init(index: Int, codec: CodecParameters, timeBase: (Int32, Int32)) {
        self.init(index: index, parameters: codec.pointer, timeBase: timeBase)
    }

    init(index: Int, parameters: UnsafePointer<AVCodecParameters>, timeBase: (Int32, Int32)) {
        let par = parameters.pointee
        self.index = index
        switch par.codec_type {
        case AVMEDIA_TYPE_VIDEO: kind = .video
        case AVMEDIA_TYPE_AUDIO: kind = .audio
        default: kind = .other
        }
        codecName = String(cString: avcodec_get_name(par.codec_id))
        width = Int(par.width)
        height = Int(par.height)
        sampleRate = Int(par.sample_rate)
        channels = Int(par.ch_layout.nb_channels)
        self.timeBase = timeBase
        hasExtradata = par.extradata_size > 0
    }

    /// Converts a timestamp in this stream's time base to microseconds.
    public func microseconds(_ value: Int64) -> Int64 {
        av_rescale_q(value, AVRational(num: timeBase.0, den: timeBase.1), AVRational(num: 1, den: 1_000_000))
    }

    /// One unit of the time base, in whole microseconds (at least 1).
    public var tickMicroseconds: Int64 {
        max(1, (Int64(timeBase.0) * 1_000_000 + Int64(timeBase.1) - 1) / Int64(max(timeBase.1, 1)))
    }

    /// Converts microseconds to this stream's time base.
    public func streamTime(_ microseconds: Int64) -> Int64 {
        av_rescale_q(microseconds, AVRational(num: 1, den: 1_000_000), AVRational(num: timeBase.0, den: timeBase.1))
    }
}
