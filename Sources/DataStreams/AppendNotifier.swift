import Foundation

/// Wakes readers that follow a stream (the SSE endpoint) when records are appended, so that
/// followers wait on appends instead of polling the log.
public final class AppendNotifier: @unchecked Sendable {
    private let lock = NSLock()
    private var versions: [Int64: UInt64] = [:]
    private var waiters: [Int64: [UUID: CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    public func version(of streamID: Int64) -> UInt64 {
        lock.withLock { versions[streamID] ?? 0 }
    }

    /// Wakes the stream's waiters without a new record (e.g. at shutdown).
    public func wake(_ streamID: Int64) { notify(streamID) }

    func notify(_ streamID: Int64) {
        let woken: [CheckedContinuation<Void, Never>] = lock.withLock {
            versions[streamID, default: 0] += 1
            defer { waiters[streamID] = nil }
            return Array((waiters[streamID] ?? [:]).values)
        }
        woken.forEach { $0.resume() }
    }

    /// Returns once the stream's version passes `seen`, or after `timeout` seconds.
    public func wait(_ streamID: Int64, after seen: UInt64, timeout: Double) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await park(streamID, id: id, seen: seen, timeout: timeout)
        } onCancel: {
            release(streamID, id: id)
        }
    }

    private func release(_ streamID: Int64, id: UUID) {
        let parked = lock.withLock { waiters[streamID]?.removeValue(forKey: id) }
        parked?.resume()
    }

    private func park(_ streamID: Int64, id: UUID, seen: UInt64, timeout: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: Bool = lock.withLock {
                if (versions[streamID] ?? 0) != seen || Task.isCancelled { return true }
                waiters[streamID, default: [:]][id] = continuation
                return false
            }
            if ready { continuation.resume(); return }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                self.release(streamID, id: id)
            }
        }
    }
}
