import Fragments
import Media
import Synchronization

/// Encoded images recently made, so a scrubber or a page of thumbnails asked again costs no decode.
/// Bounded by bytes; the least recently used go first. Stored fragments never change, so an entry
/// stays right for as long as it is kept; its key names the fragment (number and arrival time, so a
/// recreated stream cannot alias it) and everything that shapes the image.
public final class ImageCache: Sendable {
    public struct Key: Hashable, Sendable {
        var streamID: Int64
        var fragment: FragmentNumber
        var fragmentArrival: Int64
        /// Producer time (µs) of the instant asked for.
        var instant: Int64
        var width: Int?
        var height: Int?
        var format: ImageEncoder.Format
    }

    private struct Entry {
        var image: [UInt8]
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    public let maxBytes: Int
    private let state = Mutex(State())

    /// - Parameter maxBytes: 0 turns the cache off.
    public init(maxBytes: Int) {
        self.maxBytes = max(0, maxBytes)
    }

    public func image(_ key: Key) -> [UInt8]? {
        state.withLock { state in
            state.clock &+= 1
            guard var entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.image
        }
    }

    public func insert(_ image: [UInt8], for key: Key) {
        // An image larger than an eighth of the cache would push out too much to be worth it.
        guard image.count <= maxBytes / 8 else { return }
        state.withLock { state in
            state.clock &+= 1
            if let old = state.entries.updateValue(Entry(image: image, lastUse: state.clock), forKey: key) {
                state.bytes -= old.image.count
            }
            state.bytes += image.count
            while state.bytes > maxBytes, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.entries[oldest.key] = nil
                state.bytes -= oldest.value.image.count
            }
        }
    }

    /// Lookups answered from the cache and not, since start.
    public var counts: (hits: Int, misses: Int, bytes: Int, images: Int) {
        state.withLock { ($0.hits, $0.misses, $0.bytes, $0.entries.count) }
    }
}
