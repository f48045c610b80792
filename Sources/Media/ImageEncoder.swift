import CFFmpeg

/// Encodes decoded pictures as JPEG or PNG at a chosen size: libswscale converts and scales,
/// libavcodec's MJPEG or PNG encoder writes the image. One encoder per size and format.
public final class ImageEncoder {
    public enum Format: Hashable, Sendable { case jpeg(quality: Int), png }

    public let width: Int
    public let height: Int
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var scaled: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    private let pixelFormat: AVPixelFormat
    /// Encoders want increasing times, even for still images.
    private var nextPTS: Int64 = 0

    /// The size an image of a `source` picture takes: both given → exactly that; one → the other
    /// follows the aspect ratio; none → the source's. Even, at least 2, at most 3840x2160.
    public static func size(source: (width: Int, height: Int), width: Int?, height: Int?) -> (width: Int, height: Int) {
        let w = max(source.width, 1), h = max(source.height, 1)
        var out: (Int, Int)
        switch (width, height) {
        case let (width?, height?): out = (width, height)
        case let (width?, nil): out = (width, Int((Double(width) * Double(h) / Double(w)).rounded()))
        case let (nil, height?): out = (Int((Double(height) * Double(w) / Double(h)).rounded()), height)
        case (nil, nil): out = (w, h)
        }
        func even(_ value: Int, _ limit: Int) -> Int { min(max(2, value + value % 2), limit) }
        return (even(out.0, 3840), even(out.1, 2160))
    }

    public init(width: Int, height: Int, format: Format) throws {
        self.width = width
        self.height = height
        let codecID: AVCodecID
        switch format {
        case .jpeg: (codecID, pixelFormat) = (AV_CODEC_ID_MJPEG, AV_PIX_FMT_YUVJ420P)
        case .png: (codecID, pixelFormat) = (AV_CODEC_ID_PNG, AV_PIX_FMT_RGB24)
        }
        guard let codec = avcodec_find_encoder(codecID) else { throw MediaError("avcodec_find_encoder", message: "no image encoder") }
        context = avcodec_alloc_context3(codec)
        scaled = av_frame_alloc()
        packet = av_packet_alloc()
        guard let context, let scaled, packet != nil else {
            close()
            throw MediaError("avcodec_alloc_context3", message: "out of memory")
        }
        do {
            context.pointee.width = Int32(width)
            context.pointee.height = Int32(height)
            context.pointee.pix_fmt = pixelFormat
            context.pointee.time_base = AVRational(num: 1, den: 25)
            context.pointee.thread_count = 1
            if case .jpeg(let quality) = format {
                // JPEGQuality 1–100 onto MJPEG's quantiser scale 31–2 (lower is better).
                let q = 31 - (min(max(quality, 1), 100) - 1) * 29 / 99
                context.pointee.flags |= AV_CODEC_FLAG_QSCALE
                context.pointee.global_quality = Int32(q) * videod_ff_qp2lambda()
                context.pointee.qmin = Int32(q)
                context.pointee.qmax = Int32(q)
            }
            try check(avcodec_open2(context, codec, nil), "open image encoder")
            scaled.pointee.width = Int32(width)
            scaled.pointee.height = Int32(height)
            scaled.pointee.format = pixelFormat.rawValue
            try check(av_frame_get_buffer(scaled, 0), "av_frame_get_buffer")
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// The picture as one image file's bytes.
    public func encode(_ frame: DecodedFrame) throws -> [UInt8] {
        guard let context, let scaled, let packet else { throw MediaError("encode image", message: "encoder closed") }
        let source = frame.pointer
        scaler = sws_getCachedContext(scaler, source.pointee.width, source.pointee.height, AVPixelFormat(rawValue: source.pointee.format),
                                      Int32(width), Int32(height), pixelFormat, SWS_BICUBIC, nil, nil, nil)
        guard let scaler else { throw MediaError("sws_getCachedContext", message: "cannot convert this picture") }
        try check(av_frame_make_writable(scaled), "av_frame_make_writable")
        let rows = withUnsafePointer(to: source.pointee.data) { sourceData in
            withUnsafePointer(to: source.pointee.linesize) { sourceStride in
                withUnsafePointer(to: &scaled.pointee.data) { targetData in
                    withUnsafePointer(to: &scaled.pointee.linesize) { targetStride in
                        sws_scale(scaler,
                                  UnsafeRawPointer(sourceData).assumingMemoryBound(to: UnsafePointer<UInt8>?.self),
                                  UnsafeRawPointer(sourceStride).assumingMemoryBound(to: Int32.self),
                                  0, source.pointee.height,
                                  UnsafeRawPointer(targetData).assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self),
                                  UnsafeRawPointer(targetStride).assumingMemoryBound(to: Int32.self))
                    }
                }
            }
        }
        guard rows > 0 else { throw MediaError("sws_scale", code: rows) }
        scaled.pointee.pts = nextPTS
        nextPTS += 1
        try check(avcodec_send_frame(context, scaled), "send picture to the image encoder")
        try check(avcodec_receive_packet(context, packet), "receive image")
        defer { av_packet_unref(packet) }
        return Array(UnsafeBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
    }

    private func close() {
        if scaler != nil { sws_freeContext(scaler); scaler = nil }
        if packet != nil { av_packet_free(&packet) }
        if scaled != nil { av_frame_free(&scaled) }
        if context != nil { avcodec_free_context(&context) }
    }
}
