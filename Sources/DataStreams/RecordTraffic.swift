import Synchronization

/// Records put and read per data stream since start (GetRecords reads; SSE followers are not
/// counted), for the metrics: running totals kept here so that this module needs no metrics API.
public final class RecordTraffic: Sendable {
    public struct Totals: Sendable, Equatable {
        public var put: Int64 = 0
        public var read: Int64 = 0
    }

    private let totals = Mutex<[String: Totals]>([:])

    public init() {}

    func put(_ count: Int, stream: String) {
        guard count > 0 else { return }
        totals.withLock { $0[stream, default: Totals()].put += Int64(count) }
    }

    func read(_ count: Int, stream: String) {
        totals.withLock { $0[stream, default: Totals()].read += Int64(count) }
    }

    public var byStream: [String: Totals] {
        totals.withLock { $0 }
    }
}
