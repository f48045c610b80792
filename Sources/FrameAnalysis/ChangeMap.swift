/// Which pixels of a frame differ from the background model, grouped into connected regions.
/// Pure and allocation-light: one pass to threshold, one to drop specks, one to label.
struct ChangeMap {
    struct Region {
        var area = 0
        /// Pixels of the region that also changed since the previous analysed frame: a region
        /// without them is something that stopped (a parked car), not motion.
        var moving = 0
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
    }

    let width: Int
    let height: Int
    /// Region label per pixel, 0 = unchanged.
    private(set) var labels: [Int32]
    private(set) var regions: [Region] = []
    /// Changed pixels before speck removal, as a fraction of the unmasked pixels.
    private(set) var rawFraction = 0.0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        labels = [Int32](repeating: 0, count: width * height)
    }

    /// - Parameters:
    ///   - changed: per pixel, differs from the background by more than the threshold.
    ///   - moved: per pixel, differs from the previous analysed frame by more than the threshold.
    mutating func build(changed: [Bool], moved: [Bool], ignored: [Bool], unmasked: Int) {
        let w = width, h = height
        var raw = 0
        for i in 0..<changed.count where changed[i] { raw += 1 }
        rawFraction = Double(raw) / Double(max(unmasked, 1))
        // A changed pixel with fewer than two changed neighbours is noise, not an object.
        precondition(changed.count == w * h && moved.count == w * h && ignored.count == w * h)
        var kept = [Bool](repeating: false, count: w * h)
        changed.withUnsafeBufferPointer { changed in
        kept.withUnsafeMutableBufferPointer { kept in
            for y in 0..<h {
                for x in 0..<w where changed[y * w + x] {
                    var neighbours = 0
                    if x > 0, x < w - 1, y > 0, y < h - 1 {
                        // Inside the frame (nearly every pixel): all eight neighbours exist.
                        let above = (y - 1) * w + x, here = y * w + x, below = (y + 1) * w + x
                        @inline(__always) func count(_ i: Int) -> Int { changed[i] ? 1 : 0 }
                        neighbours = count(above - 1) + count(above) + count(above + 1) + count(here - 1)
                            + count(here + 1) + count(below - 1) + count(below) + count(below + 1)
                    } else {
                        for dy in -1...1 {
                            let ny = y + dy
                            guard ny >= 0, ny < h else { continue }
                            for dx in -1...1 where dx != 0 || dy != 0 {
                                let nx = x + dx
                                if nx >= 0, nx < w, changed[ny * w + nx] { neighbours += 1 }
                            }
                        }
                    }
                    kept[y * w + x] = neighbours >= 2
                }
            }
        }}
        for i in 0..<labels.count { labels[i] = 0 }
        regions = []
        var stack: [Int] = []
        for start in 0..<(w * h) where kept[start] && labels[start] == 0 {
            let label = Int32(regions.count + 1)
            var region = Region()
            labels[start] = label
            stack.append(start)
            while let i = stack.popLast() {
                let x = i % w, y = i / w
                region.area += 1
                if moved[i] { region.moving += 1 }
                region.minX = min(region.minX, x); region.maxX = max(region.maxX, x)
                region.minY = min(region.minY, y); region.maxY = max(region.maxY, y)
                if x > 0, kept[i - 1], labels[i - 1] == 0 { labels[i - 1] = label; stack.append(i - 1) }
                if x < w - 1, kept[i + 1], labels[i + 1] == 0 { labels[i + 1] = label; stack.append(i + 1) }
                if y > 0, kept[i - w], labels[i - w] == 0 { labels[i - w] = label; stack.append(i - w) }
                if y < h - 1, kept[i + w], labels[i + w] == 0 { labels[i + w] = label; stack.append(i + w) }
            }
            regions.append(region)
        }
    }
}
