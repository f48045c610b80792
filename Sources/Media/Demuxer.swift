import Foundation
import CFFmpeg

/// Demuxes a container read from a `ByteQueue` through a custom AVIOContext.
/// All calls block: run it on a dedicated thread, never on an event loop.
public final class Demuxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var io: UnsafeMutablePointer<AVIOContext>?
    /// What the custom AVIOContext reads; nil when libav opened a URL itself.
    private let input: DemuxerInput?
    /// Kept alive while libav may call back into it.
    private var interrupt: InterruptFlag?
    public private(set) var streams: [StreamInfo] = []

    /// - Parameters:
    ///   - formatName: libav demuxer name ("mp4", "mpegts", "matroska"); nil probes.
    ///   - options: demuxer options as for `ffmpeg -opt value` (e.g. a smaller `analyzeduration`).
    public convenience init(source: ByteQueue, formatName: String?, options: [String: String] = [:]) throws {
        try self.init(input: DemuxerInput(source.read(into:)), formatName: formatName, options: options, probe: true)
    }

    /// Opens one leg of a fragmented MP4 push. `probe: false` skips libav's stream probing (which
    /// decodes a frame): a later leg's tracks are the first leg's, already known.
    public convenience init(leg legs: FragmentedMP4Legs, probe: Bool) throws {
        try self.init(input: DemuxerInput(legs.read(into:)), formatName: "mp4", options: [:], probe: probe)
    }

    private init(input: DemuxerInput, formatName: String?, options: [String: String], probe: Bool) throws {
        self.input = input
        let bufferSize: Int32 = 64 * 1024
        guard let buffer = av_malloc(Int(bufferSize)) else {
            throw MediaError("av_malloc", message: "out of memory")
        }
        let opaque = Unmanaged.passUnretained(input).toOpaque()
        guard let io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), bufferSize, 0, opaque,
                                          demuxerRead, nil, nil) else {
            av_free(buffer)
            throw MediaError("avio_alloc_context", message: "out of memory")
        }
        self.io = io
        io.pointee.seekable = 0

        var ctx = avformat_alloc_context()
        guard ctx != nil else {
            freeIO()
            throw MediaError("avformat_alloc_context", message: "out of memory")
        }
        ctx!.pointee.pb = io
        ctx!.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var format: UnsafePointer<AVInputFormat>?
        if let formatName { format = av_find_input_format(formatName) }
        var dictionary = Self.dictionary(options)
        defer { av_dict_free(&dictionary) }
        // On failure avformat_open_input frees the context and sets it to nil.
        let opened = avformat_open_input(&ctx, nil, format, &dictionary)
        guard opened >= 0, let ctx else {
            freeIO()
            throw MediaError("open container", code: opened)
        }
        context = ctx
        if probe {
            try readStreamInfo(ctx)
        } else {
            streams = (0..<Int(ctx.pointee.nb_streams)).map { StreamInfo(index: $0, stream: ctx.pointee.streams[$0]!) }
        }
    }

    /// Opens a file path or a URL libavformat reads itself (`options` as for `ffmpeg -opt value`).
    /// Blocking network reads give up soon after `interrupt` is raised.
    public init(url: String, options: [String: String] = [:], interrupt: InterruptFlag? = nil) throws {
        input = nil
        var dictionary = Self.dictionary(options)
        defer { av_dict_free(&dictionary) }
        var ctx: UnsafeMutablePointer<AVFormatContext>? = avformat_alloc_context()
        guard ctx != nil else { throw MediaError("avformat_alloc_context", message: "out of memory") }
        if let interrupt {
            self.interrupt = interrupt
            ctx!.pointee.interrupt_callback = AVIOInterruptCB(
                callback: { opaque in
                    guard let opaque else { return 0 }
                    return Unmanaged<InterruptFlag>.fromOpaque(opaque).takeUnretainedValue().isRaised ? 1 : 0
                },
                opaque: Unmanaged.passUnretained(interrupt).toOpaque())
        }
        let opened = avformat_open_input(&ctx, url, nil, &dictionary)
        // The URL may carry credentials: it stays out of the error.
        guard opened >= 0, let ctx else { throw MediaError("open input", code: opened) }
        context = ctx
        try readStreamInfo(ctx)
    }

    deinit { close() }

    /// Probes the opened input and describes its tracks. libav decodes frames here to learn
    /// what the container does not say (pixel format, reorder delay); by default it decodes
    /// every frame it probes — tens of milliseconds per stream start. The probe decoders are
    /// told to decode key frames only: the first one yields the picture format, later frames
    /// add nothing that ingest uses.
    private func readStreamInfo(_ ctx: UnsafeMutablePointer<AVFormatContext>) throws {
        let count = Int(ctx.pointee.nb_streams)
        var probeOptions = [OpaquePointer?](repeating: nil, count: count)
        for index in 0..<count {
            av_dict_set(&probeOptions[index], "skip_frame", "nokey", 0)
            av_dict_set(&probeOptions[index], "skip_loop_filter", "all", 0)
        }
        defer { for index in 0..<count { av_dict_free(&probeOptions[index]) } }
        let found = probeOptions.withUnsafeMutableBufferPointer { avformat_find_stream_info(ctx, $0.baseAddress) }
        guard found >= 0 else {
            close()
            throw MediaError("read stream info", code: found)
        }
        streams = (0..<Int(ctx.pointee.nb_streams)).map { StreamInfo(index: $0, stream: ctx.pointee.streams[$0]!) }
    }

    /// An AVDictionary of options (the caller frees it).
    private static func dictionary(_ options: [String: String]) -> OpaquePointer? {
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        return dictionary
    }

    /// What probing the tracks learned beyond the container's header, for `adopt`.
    public func probedTracks() throws -> [ProbedTrack] {
        guard let context else { return [] }
        return try (0..<Int(context.pointee.nb_streams)).map { index in
            let stream = context.pointee.streams[index]!.pointee
            return ProbedTrack(parameters: try CodecParameters(copying: stream.codecpar),
                               frameRate: stream.r_frame_rate, averageFrameRate: stream.avg_frame_rate)
        }
    }

    /// Gives a demuxer opened without probing what a probe of the same init segment learned
    /// (an audio track's frame size, a video track's frame rate), which libav uses to fill in
    /// the durations a fragment's last samples do not carry.
    public func adopt(_ tracks: [ProbedTrack]) throws {
        guard let context, Int(context.pointee.nb_streams) == tracks.count else {
            throw MediaError("adopt tracks", message: "the track count differs")
        }
        for (index, track) in tracks.enumerated() {
            let stream = context.pointee.streams[index]!
            try check(avcodec_parameters_copy(stream.pointee.codecpar, track.parameters.pointer), "avcodec_parameters_copy")
            stream.pointee.r_frame_rate = track.frameRate
            stream.pointee.avg_frame_rate = track.averageFrameRate
        }
    }

    /// The demuxer libav actually used (e.g. "mov,mp4,m4a,3gp,3g2,mj2").
    public var formatName: String {
        guard let name = context?.pointee.iformat?.pointee.name else { return "" }
        return String(cString: name)
    }

    /// A copy of track `index`'s codec parameters, which outlives the demuxer.
    public func codecParameters(of index: Int) throws -> CodecParameters {
        try CodecParameters(copying: context!.pointee.streams[index]!.pointee.codecpar)
    }

    /// The device's wall-clock time (µs since 1970) of stream time 0, when the input carries one:
    /// libavformat's RTSP client sets it from the first RTCP sender report.
    public var producerClockAtZero: Int64? {
        guard let value = context?.pointee.start_time_realtime, value != videod_nopts_value(), value > 0 else { return nil }
        return value
    }

    /// Reads the next packet; nil at a clean end of input. Throws on corrupt or cut-off input.
    public func readPacket() throws -> Packet? {
        guard let context else { return nil }
        let packet = try Packet()
        let result = av_read_frame(context, packet.pointer)
        if result == videod_averror_eof() {
            if let io, io.pointee.error < 0, io.pointee.error != videod_averror_eof() {
                throw MediaError("read packet", code: io.pointee.error)
            }
            return nil
        }
        try check(result, "read packet")
        return packet
    }

    public func close() {
        if context != nil {
            avformat_close_input(&context)
        }
        freeIO()
    }

    private func freeIO() {
        guard io != nil else { return }
        av_freep(&io!.pointee.buffer)
        avio_context_free(&io)
    }
}

private func demuxerRead(_ opaque: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int32) -> Int32 {
    guard let opaque, let buffer, size > 0 else { return videod_averror_eof() }
    let input = Unmanaged<DemuxerInput>.fromOpaque(opaque).takeUnretainedValue()
    let n = input.read(UnsafeMutableRawBufferPointer(start: buffer, count: Int(size)))
    return n == 0 ? videod_averror_eof() : Int32(n)
}

/// One track as a probing demuxer saw it.
public struct ProbedTrack {
    let parameters: CodecParameters
    let frameRate: AVRational
    let averageFrameRate: AVRational
}

/// The bytes a demuxer reads through its AVIOContext: `read` blocks until at least one byte is
/// there and returns 0 at the end of input.
final class DemuxerInput {
    let read: (UnsafeMutableRawBufferPointer) -> Int
    init(_ read: @escaping (UnsafeMutableRawBufferPointer) -> Int) { self.read = read }
}
