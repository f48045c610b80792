import CFFmpeg

/// An owned copy of a track's AVCodecParameters, so that a consumer on another thread (the frame
/// analyser) can open a decoder after the demuxer that described the track has gone.
public final class CodecParameters: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    public convenience init(copying source: UnsafePointer<AVCodecParameters>) throws {
        try self.init { try check(avcodec_parameters_copy($0, source), "avcodec_parameters_copy") }
    }

    /// Allocates empty parameters and lets `fill` set them; freed again if `fill` throws.
    init(filling fill: (UnsafeMutablePointer<AVCodecParameters>) throws -> Void) throws {
        guard let p = avcodec_parameters_alloc() else {
            throw MediaError("avcodec_parameters_alloc", message: "out of memory")
        }
        do {
            try fill(p)
        } catch {
            var owned: UnsafeMutablePointer<AVCodecParameters>? = p
            avcodec_parameters_free(&owned)
            throw error
        }
        pointer = p
    }

    /// AAC as an RTP `mpeg4-generic` stream announces it: the AudioSpecificConfig from the SDP.
    public static func aac(config: [UInt8], sampleRate: Int, channels: Int) throws -> CodecParameters {
        try CodecParameters { p in
            p.pointee.codec_type = AVMEDIA_TYPE_AUDIO
            p.pointee.codec_id = AV_CODEC_ID_AAC
            p.pointee.sample_rate = Int32(sampleRate)
            p.pointee.frame_size = 1024
            av_channel_layout_default(&p.pointee.ch_layout, Int32(max(channels, 1)))
            try setExtradata(config, of: p)
        }
    }

    /// H.264 or H.265 as an MP4 init segment describes it: the avcC/hvcC record as extradata.
    public static func video(hevc: Bool, configuration: [UInt8], width: Int, height: Int) throws -> CodecParameters {
        try CodecParameters { p in
            p.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            p.pointee.codec_id = hevc ? AV_CODEC_ID_HEVC : AV_CODEC_ID_H264
            p.pointee.width = Int32(clamping: width)
            p.pointee.height = Int32(clamping: height)
            try setExtradata(configuration, of: p)
        }
    }

    /// Replaces the parameters' extradata with a padded copy of `bytes` (nothing when empty).
    static func setExtradata(_ bytes: [UInt8], of p: UnsafeMutablePointer<AVCodecParameters>) throws {
        av_freep(&p.pointee.extradata)
        p.pointee.extradata_size = 0
        guard !bytes.isEmpty else { return }
        guard let buffer = av_mallocz(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
            throw MediaError("av_mallocz", message: "out of memory")
        }
        buffer.copyMemory(from: bytes, byteCount: bytes.count)
        p.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
        p.pointee.extradata_size = Int32(bytes.count)
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&p)
    }

    public var codecName: String { String(cString: avcodec_get_name(pointer.pointee.codec_id)) }

    /// H.264 or H.265, or nil for any other codec.
    public var videoCodec: VideoCodec? {
        switch pointer.pointee.codec_id {
        case AV_CODEC_ID_H264: .h264
        case AV_CODEC_ID_HEVC: .hevc
        default: nil
        }
    }
    /// The codec configuration bytes (parameter sets, avcC/hvcC, AudioSpecificConfig).
    public var extradata: [UInt8] {
        guard let bytes = pointer.pointee.extradata, pointer.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: bytes, count: Int(pointer.pointee.extradata_size)))
    }
    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    /// Frames a decoder holds back before output (B-frame reordering); 0 without B-frames.
    public var reorderDelay: Int { Int(pointer.pointee.video_delay) }
}
