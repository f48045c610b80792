import CFFmpeg

/// Muxes one self-contained MPEG-TS segment in memory (PAT/PMT first, so that each segment
/// plays on its own), keeping the packets' timestamps (`mpegts_copyts`: segments of one stream
/// stay on one timeline). libavformat converts H.264/H.265 to Annex B and wraps AAC in ADTS.
public enum MPEGTSSegmentMuxer {
    /// - Parameters:
    ///   - tracks: codec parameters per track; packet times are in microseconds.
    ///   - packets: (track index, packet), in decode order across tracks.
    public static func segment(tracks: [CodecParameters], packets: [(track: Int, packet: Packet)]) throws -> [UInt8] {
        let output = try MemoryOutput()
        var context: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&context, nil, "mpegts", nil), "create mpegts muxer")
        guard let context else { throw MediaError("avformat_alloc_output_context2", message: "out of memory") }
        defer {
            context.pointee.pb = nil
            avformat_free_context(context)
            output.free()
        }
        let microseconds = AVRational(num: 1, den: 1_000_000)
        for track in tracks {
            guard let stream = avformat_new_stream(context, nil) else { throw MediaError("avformat_new_stream", message: "out of memory") }
            try check(avcodec_parameters_copy(stream.pointee.codecpar, track.pointer), "copy codec parameters")
            stream.pointee.codecpar.pointee.codec_tag = 0
            stream.pointee.time_base = microseconds
        }
        output.attach(to: context)
        var options: OpaquePointer?
        av_dict_set(&options, "mpegts_copyts", "1", 0)
        let written = avformat_write_header(context, &options)
        av_dict_free(&options)
        try check(written, "write mpegts header")
        for (track, packet) in packets where track < tracks.count {
            let stream = context.pointee.streams[track]!
            packet.pointer.pointee.stream_index = Int32(track)
            packet.pointer.pointee.pos = -1
            av_packet_rescale_ts(packet.pointer, microseconds, stream.pointee.time_base)
            try check(av_interleaved_write_frame(context, packet.pointer), "mux packet")
        }
        try check(av_write_trailer(context), "write mpegts trailer")
        return output.take()
    }
}
