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

    /// Bounds on queued packets and their bytes (compressed video: 16 MiB is about 90 s of a
    /// 1.5 Mbit/s camera, or a whole short upload).
    let capacity: Int
    let capacityBytes: Int
    private let condition = NSCondition()
    private var items: [Item] = []
    private var head = 0
    private var packets = 0
    private var bytes = 0

    init(capacity: Int, capacityBytes: Int) {
        self.capacity = capacity
        self.capacityBytes = capacityBytes
    }

    /// How full the queue is: the larger of its packet and byte shares.
    var fill: Double {
        condition.withLock { max(Double(packets) / Double(capacity), Double(bytes) / Double(capacityBytes)) }
    }

    var depth: Int { condition.withLock { packets } }

    /// Adds a packet unless the queue is full.
    func offer(_ packet: Packet, serverTime: Int64, afterGap: Bool) -> Bool {
        condition.withLock {
            guard packets < capacity, bytes + packet.size <= capacityBytes else { return false }
            packets += 1
            bytes += packet.size
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
            if case let .packet(packet, _, _) = item {
                packets -= 1
                bytes -= packet.size
            }
            return item
        }
    }
}
