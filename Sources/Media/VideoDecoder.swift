import CFFmpeg

/// The luma plane of a decoded frame, valid only inside the callback that receives it.
public struct LumaPlane {
    public let base: UnsafePointer<UInt8>
    /// Bytes from one row to the next.
    public let stride: Int
    public let width: Int
    public let height: Int
    /// 1 for 8-bit video, 2 for 10/12-bit (little-endian 16-bit samples).
    public let bytesPerSample: Int
    /// Bits per sample (8, 10, 12).
    public let depth: Int
    /// The frame's presentation time, in the units the packets carried.
    public let pts: Int64?
}

/// A single-threaded libavcodec video decoder that hands out luma planes. Packet timestamps are
/// passed through unchanged (the caller's units), reordered into presentation order.
public final class VideoDecoder {
    /// Frames the decoder may leave out to save work when the caller falls behind.
    public enum Skipping: Sendable { case none, nonReference, nonKey }

    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?

    /// - Parameter skipLoopFilter: skip the deblocking filter (cheaper, slightly blockier frames).
    public init(parameters: CodecParameters, skipLoopFilter: Bool = false) throws {
        guard let codec = avcodec_find_decoder(parameters.pointer.pointee.codec_id) else {
            throw MediaError("avcodec_find_decoder", message: "no decoder for \(parameters.codecName)")
        }
        guard let context = avcodec_alloc_context3(codec) else {
            throw MediaError("avcodec_alloc_context3", message: "out of memory")
        }
        self.context = context
        guard let frame = av_frame_alloc() else {
            close()
            throw MediaError("av_frame_alloc", message: "out of memory")
        }
        self.frame = frame
        do {
            try check(avcodec_parameters_to_context(context, parameters.pointer), "avcodec_parameters_to_context")
            context.pointee.thread_count = 1
            context.pointee.thread_type = 0
            context.pointee.pkt_timebase = AVRational(num: 1, den: 1_000_000)
            if skipLoopFilter { context.pointee.skip_loop_filter = AVDISCARD_ALL }
            try check(avcodec_open2(context, codec, nil), "avcodec_open2")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    public var skipping: Skipping = .none {
        didSet {
            switch skipping {
            case .none: context?.pointee.skip_frame = AVDISCARD_DEFAULT
            case .nonReference: context?.pointee.skip_frame = AVDISCARD_NONREF
            case .nonKey: context?.pointee.skip_frame = AVDISCARD_NONKEY
            }
        }
    }

    /// Sends one packet (nil drains the decoder at the end of input) and passes every frame that
    /// becomes ready to `body`. Throws for data the decoder rejects; the decoder stays usable.
    public func decode(_ packet: Packet?, _ body: (LumaPlane) -> Void) throws {
        try decodeFrames(packet) { frame in
            if let plane = Self.luma(frame) { body(plane) }
        }
    }

    /// As `decode`, keeping whole pictures (for images) instead of handing out luma planes.
    public func decodePictures(_ packet: Packet?, _ body: (DecodedFrame) -> Void) throws {
        try decodeFrames(packet) { frame in
            if let kept = DecodedFrame(referencing: frame) { body(kept) }
        }
    }

    private func decodeFrames(_ packet: Packet?, _ body: (UnsafeMutablePointer<AVFrame>) -> Void) throws {
        guard let context, let frame else { return }
        let sent = avcodec_send_packet(context, packet?.pointer)
        var sendError: Int32 = 0
        if sent < 0 && sent != videod_averror_eof() && sent != videod_averror_eagain() { sendError = sent }
        while true {
            let received = avcodec_receive_frame(context, frame)
            if received == videod_averror_eagain() || received == videod_averror_eof() { break }
            if received < 0 {
                sendError = received
                break
            }
            defer { av_frame_unref(frame) }
            body(frame)
        }
        if sendError < 0 { throw MediaError("decode", code: sendError) }
    }

    private static func luma(_ frame: UnsafeMutablePointer<AVFrame>) -> LumaPlane? {
        let f = frame.pointee
        guard let data = f.data.0, f.width > 0, f.height > 0,
              let descriptor = av_pix_fmt_desc_get(AVPixelFormat(rawValue: f.format)) else { return nil }
        // Planar YUV and gray formats keep luma in plane 0; packed or RGB formats are not analysed.
        let planar = descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_PLANAR) != 0
        guard planar || descriptor.pointee.nb_components == 1,
              descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB) == 0 else { return nil }
        let depth = Int(descriptor.pointee.comp.0.depth)
        let pts = f.best_effort_timestamp == videod_nopts_value() ? nil : f.best_effort_timestamp
        return LumaPlane(base: UnsafePointer(data), stride: Int(f.linesize.0), width: Int(f.width),
                         height: Int(f.height), bytesPerSample: depth > 8 ? 2 : 1, depth: depth, pts: pts)
    }

    /// The stream as the decoder knows it now: after a decoded frame, with picture size, pixel
    /// format and reorder delay.
    public func currentParameters() throws -> CodecParameters {
        guard let context else { throw MediaError("avcodec_parameters_from_context", message: "decoder closed") }
        return try CodecParameters { try check(avcodec_parameters_from_context($0, context), "avcodec_parameters_from_context") }
    }

    /// Forgets every picture (references included), so that decoding can start again at a key
    /// frame, also after draining with `decode(nil)`.
    public func reset() {
        if let context { avcodec_flush_buffers(context) }
    }

    public func close() {
        if frame != nil { av_frame_free(&frame) }
        if context != nil { avcodec_free_context(&context) }
    }
}
