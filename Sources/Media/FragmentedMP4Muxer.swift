import CFFmpeg

/// Muxes packets into CMAF-style fragmented MP4 in memory: an init segment (ftyp+moov),
/// then one moof+mdat per `flushFragment()`. The moov is delayed until the first flush so that
/// codec configuration found in the first packets (ADTS AAC, in-band parameter sets) lands in it.
public final class FragmentedMP4Muxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let output: MemoryOutput
    private var inputTimeBases: [AVRational] = []
    private var initSegment: [UInt8]?

    /// One output track per input track, in order.
    public convenience init(tracks: [(parameters: CodecParameters, timeBase: (Int32, Int32))]) throws {
        try self.init(tracks: tracks, movflags: "frag_custom+delay_moov+default_base_moof+skip_sidx+skip_trailer")
    }

    init(tracks: [(parameters: CodecParameters, timeBase: (Int32, Int32))], movflags: String) throws {
        output = try MemoryOutput()
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        try check(avformat_alloc_output_context2(&ctx, nil, "mp4", nil), "create mp4 muxer")
        context = ctx
        do {
            for track in tracks {
                guard let stream = avformat_new_stream(ctx, nil) else {
                    throw MediaError("avformat_new_stream", message: "out of memory")
                }
                try check(avcodec_parameters_copy(stream.pointee.codecpar, track.parameters.pointer), "copy codec parameters")
                stream.pointee.codecpar.pointee.codec_tag = 0
                ADTS.ensureConfig(stream.pointee.codecpar)
                let tb = AVRational(num: track.timeBase.0, den: track.timeBase.1)
                stream.pointee.time_base = tb
                inputTimeBases.append(tb)
            }
            output.attach(to: ctx!)
            var options: OpaquePointer?
            av_dict_set(&options, "movflags", movflags, 0)
            let written = avformat_write_header(ctx, &options)
            av_dict_free(&options)
            try check(written, "write mp4 header")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Writes a packet of input track `track`; its timestamps are in that track's input time base.
    public func write(_ packet: Packet, track: Int) throws {
        guard let context else { throw MediaError("write packet", message: "muxer closed") }
        let stream = context.pointee.streams[track]!
        packet.pointer.pointee.stream_index = Int32(track)
        packet.pointer.pointee.pos = -1
        if stream.pointee.codecpar.pointee.codec_id == AV_CODEC_ID_AAC { ADTS.strip(packet.pointer) }
        av_packet_rescale_ts(packet.pointer, inputTimeBases[track], stream.pointee.time_base)
        try check(av_write_frame(context, packet.pointer), "mux packet")
    }

    /// Closes the current fragment. Returns the init segment the first time (nil afterwards)
    /// and the fragment's moof+mdat bytes (empty when nothing was written since the last flush).
    public func flushFragment() throws -> (initSegment: [UInt8]?, fragment: [UInt8]) {
        guard let context else { throw MediaError("flush fragment", message: "muxer closed") }
        try check(av_write_frame(context, nil), "flush fragment")
        var bytes = output.take()
        var firstInit: [UInt8]?
        if initSegment == nil, !bytes.isEmpty {
            let split = MP4Boxes.firstOffset(of: ["moof", "styp", "sidx"], in: bytes) ?? bytes.count
            let head = Array(bytes[0..<split])
            initSegment = head
            firstInit = head
            bytes = Array(bytes[split...])
            if bytes.isEmpty {
                // With delay_moov the first flush writes only ftyp+moov; the second one the fragment.
                try check(av_write_frame(context, nil), "flush fragment")
                bytes = output.take()
            }
        }
        return (firstInit, bytes)
    }

    /// What the muxer has written so far and not yet handed out.
    func takeWritten() -> [UInt8] {
        output.take()
    }

    public func close() {
        if let context {
            // No trailer: the last fragment was flushed by the caller and mfra is not wanted.
            context.pointee.pb = nil
            avformat_free_context(context)
            self.context = nil
        }
        output.free()
    }
}
