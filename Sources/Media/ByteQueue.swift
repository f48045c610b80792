import Foundation

/// A bounded pipe of bytes between an async producer (a network connection) and a blocking
/// consumer (libav reading through an AVIOContext on its own thread). The producer suspends
/// while the queue is full, so a slow demuxer pushes back on the socket instead of growing memory.
public final class ByteQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var headOffset = 0
    private var buffered = 0
    private var finished = false
    private var cancelled = false
    private var waitingWriter: CheckedContinuation<Void, Never>?
    private var consumed: Int64 = 0
    public let capacity: Int

    public init(capacity: Int = 4 << 20) {
        self.capacity = capacity
    }

    /// Appends bytes, suspending while the queue holds `capacity` bytes or more.
    /// Returns false when the reader has gone away (the bytes are dropped).
    @discardableResult
    public func write(_ bytes: [UInt8]) async -> Bool {
        if bytes.isEmpty { return !isCancelled }
        while true {
            let mustWait: Bool = condition.withLock {
                if cancelled { return false }
                return buffered >= capacity
            }
            if !mustWait { break }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                condition.lock()
                if cancelled || buffered < capacity {
                    condition.unlock()
                    continuation.resume()
                } else {
                    waitingWriter = continuation
                    condition.unlock()
                }
            }
        }
        return condition.withLock {
            if cancelled { return false }
            chunks.append(bytes)
            buffered += bytes.count
            condition.broadcast()
            return true
        }
    }

    /// Marks the end of input: readers drain what is buffered, then see end of stream.
    public func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// The reader stops: pending and future writes are discarded and a waiting writer resumes.
    public func cancel() {
        let writer: CheckedContinuation<Void, Never>? = condition.withLock {
            cancelled = true
            chunks.removeAll()
            buffered = 0
            condition.broadcast()
            defer { waitingWriter = nil }
            return waitingWriter
        }
        writer?.resume()
    }

    public var isCancelled: Bool { condition.withLock { cancelled } }
    /// Bytes handed to the reader so far.
    public var bytesConsumed: Int64 { condition.withLock { consumed } }

    /// Blocks until at least one byte is available or input ended; returns 0 at end of stream.
    public func read(into destination: UnsafeMutableRawBufferPointer) -> Int {
        condition.lock()
        while buffered == 0 && !finished && !cancelled {
            condition.wait()
        }
        var copied = 0
        while copied < destination.count, let first = chunks.first {
            let available = first.count - headOffset
            let n = min(available, destination.count - copied)
            first.withUnsafeBytes { src in
                destination.baseAddress!.advanced(by: copied)
                    .copyMemory(from: src.baseAddress!.advanced(by: headOffset), byteCount: n)
            }
            copied += n
            headOffset += n
            if headOffset == first.count {
                chunks.removeFirst()
                headOffset = 0
            }
        }
        buffered -= copied
        consumed += Int64(copied)
        let writer = buffered < capacity ? waitingWriter : nil
        if writer != nil { waitingWriter = nil }
        condition.unlock()
        writer?.resume()
        return copied
    }

    /// Blocks until `count` bytes are buffered (or input ended) and returns a copy of them
    /// without consuming: used to sniff the container before opening a demuxer.
    public func peek(_ count: Int) -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while buffered < count && !finished && !cancelled {
            condition.wait()
        }
        var out: [UInt8] = []
        out.reserveCapacity(min(count, buffered))
        var offset = headOffset
        for chunk in chunks {
            let take = min(chunk.count - offset, count - out.count)
            out.append(contentsOf: chunk[offset..<(offset + take)])
            offset = 0
            if out.count == count { break }
        }
        return out
    }
}
