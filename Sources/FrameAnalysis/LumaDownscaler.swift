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
        let width = self.width, height = self.height
        out.withUnsafeMutableBufferPointer { out in
        sums.withUnsafeMutableBufferPointer { sums in
        columnStarts.withUnsafeBufferPointer { starts in
        columnSteps.withUnsafeBufferPointer { steps in
        columnCounts.withUnsafeBufferPointer { counts in
            for y in 0..<height {
                let top = y * plane.height / height
                let bottom = max(top + 1, (y + 1) * plane.height / height)
                // One row per box, from its middle, and up to four columns: reading more rows costs
                // memory bandwidth (the plane is bigger than the cache), not detection accuracy.
                let start = top + (bottom - top) / 2
                let end = start + 1
                let step = 1
                var rows: UInt32 = 0
                for x in 0..<width { sums[x] = 0 }
                var row = start
                while row < end {
                    let line = plane.base + row * plane.stride
                    if plane.bytesPerSample == 1 {
                        for x in 0..<width {
                            var sx = starts[x]
                            let stride = steps[x]
                            var sum: UInt32 = 0
                            for _ in 0..<counts[x] {
                                sum &+= UInt32(line[sx])
                                sx &+= stride
                            }
                            sums[x] &+= sum
                        }
                    } else {
                        let wide = UnsafeRawPointer(line).assumingMemoryBound(to: UInt16.self)
                        for x in 0..<width {
                            var sx = starts[x]
                            var sum: UInt32 = 0
                            for _ in 0..<counts[x] {
                                sum &+= UInt32(UInt16(littleEndian: wide[sx])) >> shift
                                sx &+= steps[x]
                            }
                            sums[x] &+= sum
                        }
                    }
                    rows &+= 1
                    row += step
                }
                let base = y * width
                for x in 0..<width {
                    out[base + x] = UInt8(min(255, sums[x] / (rows * UInt32(counts[x]))))
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
