import CFFmpeg

/// Where an in-memory muxer writes: a custom AVIOContext that appends to a byte array the caller
/// takes. Owns the AVIOContext and its buffer.
final class MemoryOutput {
    private var bytes: [UInt8] = []
    private(set) var io: UnsafeMutablePointer<AVIOContext>?

    init() throws {
        let size: Int32 = 64 * 1024
        guard let buffer = av_malloc(Int(size)) else { throw MediaError("av_malloc", message: "out of memory") }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        guard let io = avio_alloc_context(buffer.assumingMemoryBound(to: UInt8.self), size, 1, opaque, nil, memoryWrite, nil) else {
            av_free(buffer)
            throw MediaError("avio_alloc_context", message: "out of memory")
        }
        io.pointee.seekable = 0
        self.io = io
    }

    deinit { free() }

    /// Makes `context` write here (the context must not close it: custom IO).
    func attach(to context: UnsafeMutablePointer<AVFormatContext>) {
        context.pointee.pb = io
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
    }

    /// What was written and not yet taken (after flushing the IO buffer).
    func take() -> [UInt8] {
        if let io { avio_flush(io) }
        defer { bytes = [] }
        return bytes
    }

    fileprivate func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    func free() {
        if io != nil {
            av_freep(&io!.pointee.buffer)
            avio_context_free(&io)
        }
    }
}

private func memoryWrite(_ opaque: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int32) -> Int32 {
    guard let opaque, let buffer, size > 0 else { return 0 }
    Unmanaged<MemoryOutput>.fromOpaque(opaque).takeUnretainedValue().append(UnsafeBufferPointer(start: buffer, count: Int(size)))
    return size
}
