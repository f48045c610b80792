import CFFmpeg

/// Learns what a video track's parameter sets alone do not spell out in plain numbers — picture
/// size, pixel format, reorder delay — by decoding its first key frame, as libavformat's stream
/// probing does, but for one frame only. Used where no demuxer describes the track (RTP).
public enum KeyFrameProbe {
    /// - Parameters:
    ///   - extradata: the parameter sets, Annex B (start codes), as an SDP announces them.
    ///   - keyFrame: one access unit, Annex B.
    /// - Returns: the parameters (extradata included), or nil when no picture could be decoded.
    public static func parameters(codec: VideoCodec, extradata: [UInt8], keyFrame: [UInt8]) throws -> CodecParameters? {
        let described = try CodecParameters { p in
            p.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            p.pointee.codec_id = codec.id
            try CodecParameters.setExtradata(extradata, of: p)
        }
        // Only the picture's format is wanted, not a clean picture.
        let decoder = try VideoDecoder(parameters: described, skipLoopFilter: true)
        let packet = try Packet(copying: keyFrame)
        packet.isKeyFrame = true
        var decoded = false
        // A damaged frame is not an error here: the caller tries the next key frame. Draining
        // (nil) is needed because a decoder with reorder delay holds the picture back.
        try? decoder.decode(packet) { _ in decoded = true }
        try? decoder.decode(nil) { _ in decoded = true }
        guard decoded else { return nil }
        let parameters = try decoder.currentParameters()
        return parameters.width > 0 && parameters.height > 0 ? parameters : nil
    }
}
