import Synchronization

/// A thread-safe least-recently-used cache bounded by a total weight (bytes, or 1 per entry).
/// Playback caches what is costly to make from stored fragments, which never change once stored:
/// an entry stays right for as long as it is kept, so there is nothing to invalidate.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var weight: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var weight = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    public let maxWeight: Int
    private let weigh: @Sendable (Value) -> Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxWeight: 0 turns the cache off.
    ///   - weigh: an entry's share of `maxWeight`; one heavier than an eighth of it is not kept
    ///     (it would push out too much to be worth it).
    public init(maxWeight: Int, weigh: @escaping @Sendable (Value) -> Int) {
        self.maxWeight = max(0, maxWeight)
        self.weigh = weigh
    }

    public func value(_ key: Key) -> Value? {
        state.withLock { state in
            state.clock &+= 1
            guard var entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.value
        }
    }

    public func insert(_ value: Value, for key: Key) {
        let weight = weigh(value)
        guard weight <= maxWeight / 8 else { return }
        state.withLock { state in
            state.clock &+= 1
            if let old = state.entries.updateValue(Entry(value: value, weight: weight, lastUse: state.clock), forKey: key) {
                state.weight -= old.weight
            }
            state.weight += weight
            // A linear scan for the oldest: entries number in the thousands at most, and an
            // eviction follows a decode or a layout that costs far more.
            while state.weight > maxWeight, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
                state.weight -= oldest.value.weight
            }
        }
    }

    /// Lookups answered and not since start, the weight held and the entries.
    public var counts: (hits: Int, misses: Int, weight: Int, entries: Int) {
        state.withLock { ($0.hits, $0.misses, $0.weight, $0.entries.count) }
    }
}
