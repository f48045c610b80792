import Fragments

/// Clip layouts (the moov and the map of sample bytes) recently made: a browser seeking in a
/// `clip.mp4` sends a Range request per seek and per read-ahead, and each would otherwise read
/// every fragment's moof again (33 ms for a 30-minute clip). A key names the exact fragments: the
/// stream, their init segment, the first and last numbers and how many there are (numbers only
/// grow within a stream, so one missing in between changes the count), and the first's arrival.
public typealias ClipLayoutCache = BoundedCache<ClipLayoutKey, ProgressiveMP4>

public struct ClipLayoutKey: Hashable, Sendable {
    var streamID: Int64
    var initID: Int64
    var first: FragmentNumber
    var last: FragmentNumber
    var count: Int
    var firstArrival: Int64

    init?(_ fragments: [FragmentRecord]) {
        guard let first = fragments.first, let last = fragments.last else { return nil }
        (streamID, initID, self.first, self.last, count, firstArrival) =
            (first.streamID, first.initID, first.number, last.number, fragments.count, first.serverStart)
    }
}

extension BoundedCache where Key == ClipLayoutKey, Value == ProgressiveMP4 {
    /// Weighed by the memory a layout holds: its header and its chunk map.
    public convenience init(maxBytes: Int) {
        self.init(maxWeight: maxBytes, weigh: { $0.header.count + $0.chunks.count * 48 })
    }
}
