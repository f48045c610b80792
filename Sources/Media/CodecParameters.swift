import CFFmpeg

/// An owned copy of a track's AVCodecParameters, so that a consumer on another thread (the frame
/// analyser) can open a decoder after the demuxer that described the track has gone.
public final class CodecParameters: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    public init(copying source: UnsafePointer<AVCodecParameters>) throws {
        guard let p = avcodec_parameters_alloc() else {
            throw MediaError("avcodec_parameters_alloc", message: "out of memory")
        }
        let copied = avcodec_parameters_copy(p, source)
        guard copied >= 0 else {
            var owned: UnsafeMutablePointer<AVCodecParameters>? = p
            avcodec_parameters_free(&owned)
            throw MediaError("avcodec_parameters_copy", code: copied)
        }
        pointer = p
    }

    deinit {
        var p: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&p)
    }

    public var codecName: String { String(cString: avcodec_get_name(pointer.pointee.codec_id)) }
    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
}
