import Foundation

/// A bounded queue between an async producer (a network connection) and a blocking consumer (an
/// ingest thread). The producer suspends while the queue is full, so a slow consumer pushes back
/// on the socket instead of growing memory. Fullness is measured by `cost` (bytes, usually).
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var elements: [Element] = []
    /// Elements before `head` have been read; the array is compacted when the reader catches up.
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var cancelled = false
    private var waitingWriter: CheckedContinuation<Void, Never>?
    private var consumed: Int64 = 0
    private let cost: (Element) -> Int
    public let capacity: Int

    public init(capacity: Int, cost: @escaping (Element) -> Int) {
        self.capacity = capacity
        self.cost = cost
    }

    /// Appends a batch (one wake-up of the reader), suspending first while the queue is full.
    /// Returns false when the reader has gone away (the batch is dropped).
    @discardableResult
    public func write(_ batch: [Element]) async -> Bool {
        if batch.isEmpty { return !isCancelled }
        while condition.withLock({ !cancelled && buffered >= capacity }) {
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
        let added = batch.reduce(0) { $0 + cost($1) }
        return condition.withLock {
            if cancelled { return false }
            elements += batch
            buffered += added
            condition.broadcast()
            return true
        }
    }

    /// Appends without waiting for room: for input that is whole before reading starts.
    func appendIgnoringCapacity(_ batch: [Element]) {
        condition.withLock {
            elements += batch
            buffered += batch.reduce(0) { $0 + cost($1) }
            condition.broadcast()
        }
    }

    /// Marks the end of input: the reader drains what is queued, then sees the end.
    public func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// The reader stops: queued and future writes are discarded and a waiting writer resumes.
    public func cancel() {
        let writer: CheckedContinuation<Void, Never>? = condition.withLock {
            cancelled = true
            elements.removeAll()
            head = 0
            buffered = 0
            condition.broadcast()
            defer { waitingWriter = nil }
            return waitingWriter
        }
        writer?.resume()
    }

    public var isCancelled: Bool { condition.withLock { cancelled } }
    /// Elements held, read ones not yet dropped included (what the queue's memory is).
    var storedCount: Int { condition.withLock { elements.count } }
    /// Cost (bytes) handed to the reader so far.
    public var costConsumed: Int64 { condition.withLock { consumed } }

    /// Blocks until an element is available; nil once input ended (or was cancelled) and is drained.
    public func read() -> Element? {
        take(waiting: true)
    }

    /// The next element if one is queued now; never blocks.
    public func poll() -> Element? {
        take(waiting: false)
    }

    private func take(waiting: Bool) -> Element? {
        condition.lock()
        while waiting && head == elements.count && !finished && !cancelled {
            condition.wait()
        }
        guard head < elements.count else {
            condition.unlock()
            return nil
        }
        let element = elements[head]
        head += 1
        if head == elements.count {
            elements.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= elements.count {
            // A writer that stays ahead (a recording uploaded faster than real time) never lets
            // the reader catch up: without this, every element ever read stayed in the array.
            elements.removeFirst(head)
            head = 0
        }
        let size = cost(element)
        buffered -= size
        consumed += Int64(size)
        let writer = buffered < capacity ? waitingWriter : nil
        if writer != nil { waitingWriter = nil }
        condition.unlock()
        writer?.resume()
        return element
    }
}
