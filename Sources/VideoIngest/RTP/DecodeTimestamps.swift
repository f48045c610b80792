/// RTP carries presentation times only; MP4 also needs decode times, which must increase and
/// never pass the presentation time. With B-frames, frames arrive in decode order while their
/// presentation times move around within a window of `reorderDelay` frames, so the decode time
/// of the n-th frame is the (n − delay)-th smallest presentation time: known once frame n has
/// arrived. The first `delay` frames get decode times extrapolated before the first presentation
/// time, so they wait for the frame after them. Without B-frames decode time = presentation time.
struct DecodeTimestamps<Item> {
    struct Timed {
        var item: Item
        var dts: Int64
        var pts: Int64
    }

    let delay: Int
    /// Presentation times not yet used as decode times, ascending.
    private var window: [Int64] = []
    /// The first `delay` frames, waiting for the frame after them.
    private var held: [(item: Item, pts: Int64)] = []
    private var lastDTS: Int64?
    /// Frames whose times had to be forced into order: reordering deeper than the stream declared.
    private(set) var repaired = 0

    init(reorderDelay: Int) {
        delay = min(max(reorderDelay, 0), 16)
    }

    /// Takes the next frame in decode order; returns the frames whose decode time is now known.
    mutating func push(_ item: Item, pts: Int64) -> [Timed] {
        insert(pts)
        if lastDTS == nil && held.count < delay {
            held.append((item, pts))
            return []
        }
        var out = releaseHeld()
        out.append(next(item, pts: pts))
        return out
    }

    /// The first frames are waiting for the frame after them.
    var isHolding: Bool { !held.isEmpty }

    /// End of input: frames still held get their extrapolated decode times.
    mutating func flush() -> [Timed] {
        releaseHeld()
    }

    private mutating func insert(_ pts: Int64) {
        var at = window.count
        while at > 0 && window[at - 1] > pts { at -= 1 }
        window.insert(pts, at: at)
    }

    private mutating func next(_ item: Item, pts: Int64) -> Timed {
        var dts = window.removeFirst()
        var pts = pts
        if let lastDTS, dts <= lastDTS {
            dts = lastDTS + 1
            repaired += 1
        }
        if pts < dts {
            pts = dts
            repaired += 1
        }
        lastDTS = dts
        return Timed(item: item, dts: dts, pts: pts)
    }

    /// Decode times for the held frames, one frame interval apart, ending before the earliest
    /// presentation time (the interval is estimated from the presentation times seen so far).
    private mutating func releaseHeld() -> [Timed] {
        guard !held.isEmpty, let first = window.first, let last = window.last else { return [] }
        let interval = max(1, (last - first) / Int64(max(window.count - 1, 1)))
        var out: [Timed] = []
        for (k, frame) in held.enumerated() {
            let dts = first - Int64(held.count - k) * interval
            lastDTS = dts
            out.append(Timed(item: frame.item, dts: dts, pts: frame.pts))
        }
        held = []
        return out
    }
}
