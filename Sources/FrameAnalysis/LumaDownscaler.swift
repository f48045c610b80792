import Media

/// Shrinks a decoded luma plane to the analysis size. Each output pixel averages up to four
/// samples along the middle row of its source box: enough to halve sensor noise, and it touches
/// one row in eight of a 720p plane instead of all of them.
struct LumaDownscaler {
    let width: Int
    let height: Int
    private var columnStarts: [Int] = []
    private var columnSteps: [Int] = []
    private var columnCounts: [Int] = []
    /// log2 of the count where it is a power of two, else -1.
    private var columnShifts: [Int] = []
    /// The step when every column averages four samples that step apart.
    private var fourEvenlySpaced: Int?
    private var sourceWidth = 0
    private var sourceHeight = 0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// The analysis size for a source size: `width` wide, height by the source's aspect (even).
    static func size(forSourceWidth w: Int, height h: Int, analysisWidth: Int) -> (width: Int, height: Int) {
        let width = min(analysisWidth, w)
        let height = max(2, Int((Double(h) * Double(width) / Double(max(w, 1))).rounded() / 2) * 2)
        return (width, min(height, h))
    }

    private mutating func prepare(sourceWidth w: Int, sourceHeight h: Int) {
        guard w != sourceWidth || h != sourceHeight else { return }
        sourceWidth = w
        sourceHeight = h
        columnStarts = []
        columnSteps = []
        columnCounts = []
        columnShifts = []
        for x in 0..<width {
            let start = x * w / width
            let end = max(start + 1, (x + 1) * w / width)
            let step = max(1, (end - start) / 4)
            columnStarts.append(start)
            columnSteps.append(step)
            let count = (end - start + step - 1) / step
            columnCounts.append(count)
            columnShifts.append(count.nonzeroBitCount == 1 ? count.trailingZeroBitCount : -1)
        }
        let step = columnSteps.first ?? 0
        fourEvenlySpaced = columnCounts.allSatisfy({ $0 == 4 }) && columnSteps.allSatisfy({ $0 == step }) ? step : nil
    }

    mutating func scale(_ plane: LumaPlane) -> GrayFrame {
        prepare(sourceWidth: plane.width, sourceHeight: plane.height)
        var out = [UInt8](repeating: 0, count: width * height)
        let shift = UInt32(max(0, plane.depth - 8))
        let width = self.width, height = self.height
        out.withUnsafeMutableBufferPointer { out in
        columnStarts.withUnsafeBufferPointer { starts in
        columnSteps.withUnsafeBufferPointer { steps in
        columnCounts.withUnsafeBufferPointer { counts in
        columnShifts.withUnsafeBufferPointer { shifts in
            let fourEvenlySpaced = self.fourEvenlySpaced
            for y in 0..<height {
                let top = y * plane.height / height
                let bottom = max(top + 1, (y + 1) * plane.height / height)
                // One row per box, from its middle, and up to four columns: reading more rows costs
                // memory bandwidth (the plane is bigger than the cache), not detection accuracy.
                let line = plane.base + (top + (bottom - top) / 2) * plane.stride
                let base = y * width
                if plane.bytesPerSample == 1, let step = fourEvenlySpaced {
                    // Every box as wide and four samples in each (720p, 1080p, 4K to 160):
                    // straight-line code the compiler unrolls.
                    for x in 0..<width {
                        let p = line + starts[x]
                        let sum = UInt32(p[0]) &+ UInt32(p[step]) &+ UInt32(p[2 * step]) &+ UInt32(p[3 * step])
                        out[base + x] = UInt8(truncatingIfNeeded: sum >> 2)
                    }
                    continue
                }
                for x in 0..<width {
                    var sx = starts[x]
                    let step = steps[x]
                    var sum: UInt32 = 0
                    if plane.bytesPerSample == 1 {
                        for _ in 0..<counts[x] {
                            sum &+= UInt32(line[sx])
                            sx &+= step
                        }
                    } else {
                        let wide = UnsafeRawPointer(line).assumingMemoryBound(to: UInt16.self)
                        for _ in 0..<counts[x] {
                            sum &+= UInt32(UInt16(littleEndian: wide[sx])) >> shift
                            sx &+= step
                        }
                    }
                    // The mean; a shift where the count is a power of two (a division per pixel
                    // was a quarter of this function's time).
                    let mean = shifts[x] >= 0 ? sum >> UInt32(shifts[x]) : sum / UInt32(counts[x])
                    out[base + x] = UInt8(min(255, mean))
                }
            }
        }
        }
        }
        }
        }
        return GrayFrame(width: width, height: height, pixels: out)
    }
}
