import Media

/// Shrinks a decoded luma plane to the analysis size with a box filter. Each output pixel
/// averages a grid of at most 4×4 samples from its source box: enough to average away sensor
/// noise, and it reads a small part of a 720p plane instead of all of it.
struct LumaDownscaler {
    let width: Int
    let height: Int
    private var columnStarts: [Int] = []
    private var columnSteps: [Int] = []
    private var columnCounts: [Int] = []
    private var sourceWidth = 0
    private var sourceHeight = 0
    private var sums: [UInt32]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        sums = [UInt32](repeating: 0, count: width)
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
        for x in 0..<width {
            let start = x * w / width
            let end = max(start + 1, (x + 1) * w / width)
            let step = max(1, (end - start) / 4)
            columnStarts.append(start)
            columnSteps.append(step)
            columnCounts.append((end - start + step - 1) / step)
        }
    }

    mutating func scale(_ plane: LumaPlane) -> GrayFrame {
        prepare(sourceWidth: plane.width, sourceHeight: plane.height)
        var out = [UInt8](repeating: 0, count: width * height)
        let shift = UInt32(max(0, plane.depth - 8))
        let rowStep = { (start: Int, end: Int) in max(1, (end - start) / 4) }
        sums.withUnsafeMutableBufferPointer { sums in
            for y in 0..<height {
                let start = y * plane.height / height
                let end = max(start + 1, (y + 1) * plane.height / height)
                let step = rowStep(start, end)
                var rows = 0
                for i in 0..<width { sums[i] = 0 }
                var row = start
                while row < end {
                    let line = plane.base + row * plane.stride
                    for x in 0..<width {
                        var sx = columnStarts[x]
                        let stop = sx + columnSteps[x] * columnCounts[x]
                        var sum: UInt32 = 0
                        if plane.bytesPerSample == 1 {
                            while sx < stop { sum &+= UInt32(line[sx]); sx += columnSteps[x] }
                        } else {
                            let wide = UnsafeRawPointer(line).assumingMemoryBound(to: UInt16.self)
                            while sx < stop { sum &+= UInt32(UInt16(littleEndian: wide[sx])) >> shift; sx += columnSteps[x] }
                        }
                        sums[x] &+= sum
                    }
                    rows += 1
                    row += step
                }
                for x in 0..<width {
                    out[y * width + x] = UInt8(min(255, sums[x] / UInt32(rows * columnCounts[x])))
                }
            }
        }
        return GrayFrame(width: width, height: height, pixels: out)
    }
}
