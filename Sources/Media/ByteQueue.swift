/// A bounded pipe of bytes between an async producer (a network connection) and a blocking
/// consumer (libav reading through an AVIOContext on its own thread): a `BoundedQueue` of
/// received chunks, read back as a byte stream. The reader side (`read`, `peek`) belongs to one
/// thread; it keeps the chunk it is part-way through.
public final class ByteQueue: @unchecked Sendable {
    private let chunks: BoundedQueue<[UInt8]>
    /// Chunks taken from the queue but not yet read (the current one first), and the offset into it.
    private var taken: [[UInt8]] = []
    private var offset = 0

    public init(capacity: Int = 4 << 20) {
        chunks = BoundedQueue(capacity: capacity) { $0.count }
    }

    /// A finished queue holding `pieces` (input that is whole before reading starts: tests, fuzzing).
    public convenience init(finished pieces: [[UInt8]]) {
        self.init(capacity: max(1, pieces.reduce(0) { $0 + $1.count }))
        chunks.appendIgnoringCapacity(pieces.filter { !$0.isEmpty })
        chunks.finish()
    }

    public var capacity: Int { chunks.capacity }

    /// Appends bytes, suspending while the queue holds `capacity` bytes or more.
    /// Returns false when the reader has gone away (the bytes are dropped).
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool {
        if bytes.isEmpty { return !chunks.isCancelled }
        return await chunks.write([bytes])
    }

    /// Marks the end of input: readers drain what is buffered, then see end of stream.
    public func finish() { chunks.finish() }

    /// The reader stops: pending and future writes are discarded and a waiting writer resumes.
    public func cancel() { chunks.cancel() }

    public var isCancelled: Bool { chunks.isCancelled }
    /// Bytes handed to the reader so far.
    public var bytesConsumed: Int64 { chunks.costConsumed }

    /// Blocks until at least one byte is available or input ended; returns 0 at end of stream.
    public func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        if taken.isEmpty, let next = chunks.read() { taken.append(next) }
        var copied = 0
        while copied < destination.count {
            if taken.isEmpty {
                guard let next = chunks.poll() else { break }
                taken.append(next)
            }
            let first = taken[0]
            let n = min(first.count - offset, destination.count - copied)
            first.withUnsafeBytes { src in
                destination.baseAddress!.advanced(by: copied).copyMemory(from: src.baseAddress!.advanced(by: offset), byteCount: n)
            }
            copied += n
            offset += n
            if offset == first.count {
                taken.removeFirst()
                offset = 0
            }
        }
        return copied
    }

    /// Blocks until `count` bytes are buffered (or input ended) and returns a copy of them
    /// without consuming: used to sniff the container before opening a demuxer.
    public func peek(_ count: Int) -> [UInt8] {
        var available = taken.reduce(0) { $0 + $1.count } - offset
        while available < count, let next = chunks.read() {
            taken.append(next)
            available += next.count
        }
        var out: [UInt8] = []
        out.reserveCapacity(min(count, available))
        var start = offset
        for chunk in taken where out.count < count {
            out += chunk[start..<min(chunk.count, start + count - out.count)]
            start = 0
        }
        return out
    }
}
