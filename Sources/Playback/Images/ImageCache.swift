import Fragments
import Media

/// Encoded images recently made, so a scrubber or a page of thumbnails asked again costs no
/// decode; bounded by bytes. A key names the fragment (number and arrival time, so a recreated
/// stream cannot alias it) and everything that shapes the image.
public typealias ImageCache = BoundedCache<ImageCacheKey, [UInt8]>

public struct ImageCacheKey: Hashable, Sendable {
    var streamID: Int64
    var fragment: FragmentNumber
    var fragmentArrival: Int64
    /// Producer time (µs) of the instant asked for.
    var instant: Int64
    var width: Int?
    var height: Int?
    var format: ImageEncoder.Format
}

extension BoundedCache where Key == ImageCacheKey, Value == [UInt8] {
    public convenience init(maxBytes: Int) {
        self.init(maxWeight: maxBytes, weigh: { $0.count })
    }
}
