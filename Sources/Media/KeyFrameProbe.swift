import CFFmpeg

/// H.264 or H.265, the video codecs videod stores.
public enum VideoCodec: String, Sendable {
    case h264, hevc

    var id: AVCodecID { self == .h264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_HEVC }
}

/// Learns what a video track's parameter sets alone do not spell out in plain numbers — picture
/// size, pixel format, reorder delay — by decoding its first key frame, as libavformat's stream
/// probing does, but for one frame only. Used where no demuxer describes the track (RTP).
public enum KeyFrameProbe {
    /// - Parameters:
    ///   - extradata: the parameter sets, Annex B (start codes), as an SDP announces them.
    ///   - keyFrame: one access unit, Annex B.
    /// - Returns: the parameters (extradata included), or nil when no picture could be decoded.
    public static func parameters(codec: VideoCodec, extradata: [UInt8], keyFrame: [UInt8]) throws -> CodecParameters? {
        guard let decoder = avcodec_find_decoder(codec.id) else {
            throw MediaError("avcodec_find_decoder", message: "no \(codec.rawValue) decoder")
        }
        var context = avcodec_alloc_context3(decoder)
        guard let ctx = context else { throw MediaError("avcodec_alloc_context3", message: "out of memory") }
        defer { avcodec_free_context(&context) }
        var allocatedFrame = av_frame_alloc()
        guard let frame = allocatedFrame else { throw MediaError("av_frame_alloc", message: "out of memory") }
        defer { av_frame_free(&allocatedFrame) }
        let packet = try Packet(copying: keyFrame)
        packet.isKeyFrame = true

        let described = try CodecParameters { p in
            p.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            p.pointee.codec_id = codec.id
            try CodecParameters.setExtradata(extradata, of: p)
        }
        try check(avcodec_parameters_to_context(ctx, described.pointer), "avcodec_parameters_to_context")
        ctx.pointee.thread_count = 1
        ctx.pointee.skip_loop_filter = AVDISCARD_ALL // only the picture's format is wanted
        try check(avcodec_open2(ctx, decoder, nil), "avcodec_open2")

        // A damaged frame is not an error here: the caller tries the next key frame.
        _ = avcodec_send_packet(ctx, packet.pointer)
        _ = avcodec_send_packet(ctx, nil) // drain: a decoder with reorder delay holds the picture back
        var decoded = false
        while avcodec_receive_frame(ctx, frame) >= 0 {
            decoded = true
            av_frame_unref(frame)
        }
        guard decoded, ctx.pointee.width > 0, ctx.pointee.height > 0 else { return nil }
        return try CodecParameters { p in
            try check(avcodec_parameters_from_context(p, ctx), "avcodec_parameters_from_context")
        }
    }
}
