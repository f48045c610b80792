import CFFmpeg

/// A decoded picture kept past the decoder's callback (a reference to its buffers, not a copy).
public final class DecodedFrame: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// A new reference to `frame`; nil when libav cannot make one.
    init?(referencing frame: UnsafeMutablePointer<AVFrame>) {
        guard let copy = av_frame_alloc() else { return nil }
        guard av_frame_ref(copy, frame) >= 0 else {
            var owned: UnsafeMutablePointer<AVFrame>? = copy
            av_frame_free(&owned)
            return nil
        }
        pointer = copy
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&owned)
    }

    public var width: Int { Int(pointer.pointee.width) }
    public var height: Int { Int(pointer.pointee.height) }
    /// Presentation time in the decoder's packet units.
    public var pts: Int64? {
        let value = pointer.pointee.best_effort_timestamp
        return value == videod_nopts_value() ? nil : value
    }
}
