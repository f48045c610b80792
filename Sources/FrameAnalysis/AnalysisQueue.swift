import Foundation
import Fragments
import Media

/// The bounded hand-off from an ingest session to its analyser. Ingest never waits: a packet
/// that does not fit is refused, and the caller drops until the next key frame. Control items
/// (a stored fragment, the end) always fit: they are few and carry no media.
final class AnalysisQueue: @unchecked Sendable {
    enum Item {
        /// `afterGap`: packets before this one were dropped, so the decoder must restart here.
        case packet(Packet, serverTime: Int64, afterGap: Bool)
        case fragment(FragmentRecord)
        case end
    }

    let capacity: Int
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var packets = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Queued packets as a fraction of the capacity.
    var fill: Double {
        condition.withLock { Double(packets) / Double(capacity) }
    }

    var depth: Int { condition.withLock { packets } }

    /// Adds a packet unless the queue is full.
    func offer(_ packet: Packet, serverTime: Int64, afterGap: Bool) -> Bool {
        condition.withLock {
            guard packets < capacity else { return false }
            packets += 1
            items.append(.packet(packet, serverTime: serverTime, afterGap: afterGap))
            condition.signal()
            return true
        }
    }

    func control(_ item: Item) {
        condition.withLock {
            items.append(item)
            condition.signal()
        }
    }

    /// The next item, waiting for one.
    func take() -> Item {
        condition.withLock {
            while head == items.count { condition.wait() }
            let item = items[head]
            head += 1
            if head > 256 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            if case .packet = item { packets -= 1 }
            return item
        }
    }
}
