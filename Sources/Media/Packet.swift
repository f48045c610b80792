import CFFmpeg

/// One compressed access unit, owning its AVPacket. A packet moves along one pipeline
/// (demuxer thread → fragment writer) and is never shared between threads at once.
public final class Packet: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<AVPacket>

    init() throws {
        guard let p = av_packet_alloc() else { throw MediaError("av_packet_alloc", message: "out of memory") }
        pointer = p
    }

    /// A packet holding a copy of `bytes` (libav adds the zero padding decoders read past the end).
    public convenience init(copying bytes: [UInt8]) throws {
        try self.init()
        let result = av_new_packet(pointer, Int32(bytes.count))
        guard result >= 0 else { throw MediaError("av_new_packet", code: result) }
        if let data = pointer.pointee.data, !bytes.isEmpty {
            bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: bytes.count) }
        }
    }

    /// Sets what a demuxer would: decode and presentation times (the caller's units), key flag.
    public func setTiming(pts: Int64, dts: Int64, isKeyFrame: Bool) {
        pointer.pointee.pts = pts
        pointer.pointee.dts = dts
        if isKeyFrame { pointer.pointee.flags |= AV_PKT_FLAG_KEY } else { pointer.pointee.flags &= ~AV_PKT_FLAG_KEY }
    }

    deinit {
        var p: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&p)
    }

    /// A second packet sharing this one's data (reference-counted, no copy), for a consumer on
    /// another thread; its timestamps can be changed without touching the original.
    public func reference() throws -> Packet {
        let copy = try Packet()
        let result = av_packet_ref(copy.pointer, pointer)
        guard result >= 0 else { throw MediaError("av_packet_ref", code: result) }
        return copy
    }

    public var streamIndex: Int {
        get { Int(pointer.pointee.stream_index) }
        set { pointer.pointee.stream_index = Int32(newValue) }
    }
    public var isKeyFrame: Bool {
        get { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
        set { pointer.pointee.flags = newValue ? pointer.pointee.flags | AV_PKT_FLAG_KEY : pointer.pointee.flags & ~AV_PKT_FLAG_KEY }
    }
    public var size: Int { Int(pointer.pointee.size) }
    /// The demuxer flagged the packet as damaged (e.g. cut off by the end of input).
    public var isCorrupt: Bool { pointer.pointee.flags & AV_PKT_FLAG_CORRUPT != 0 }

    /// Timestamps in the packet's stream time base; nil when the container gave none.
    public var pts: Int64? {
        get { pointer.pointee.pts == videod_nopts_value() ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? videod_nopts_value() }
    }
    public var dts: Int64? {
        get { pointer.pointee.dts == videod_nopts_value() ? nil : pointer.pointee.dts }
        set { pointer.pointee.dts = newValue ?? videod_nopts_value() }
    }
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }
    /// Where the packet's data began in the demuxed byte stream, when the demuxer knows.
    public var position: Int64? {
        get { pointer.pointee.pos >= 0 ? pointer.pointee.pos : nil }
        set { pointer.pointee.pos = newValue ?? -1 }
    }
}
