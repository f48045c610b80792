/// Finds gradual transitions — dissolves and fades of 0.4–2.5 s — which the cut test never sees:
/// each frame changes only a little, but the view at the end is another one. Pure; works on
/// quarter-size thumbnails of the frames `SceneDetector` is given.
///
/// A span [start, end] is a transition when
/// - the pictures at its ends differ by at least the cut floor, and each end is steady (the
///   picture `settle` before the start and after the end is about the same as at the end point),
/// - no single frame step holds much of the way from one end to the other (that is a cut),
/// - every frame between is a mix of the two ends and black: frame ≈ a·start + b·end + c, with
///   `a` falling and `b` rising (a dissolve, a fade out and in, a fade through black); a moving
///   object or a pan is no such mix,
/// - and the ends are not the same view under another light (`SceneDetector.isLightingChange`).
struct GradualTransitionDetector {
    struct Transition: Equatable {
        var start: Int64
        var end: Int64
        /// Mean absolute luma difference between the pictures at start and end (0…255).
        var contentDelta: Double
    }

    static let minDuration: Int64 = 400_000
    static let maxDuration: Int64 = 2_500_000
    /// How long each end must hold still.
    static let settle: Int64 = 300_000

    let minContent: Double
    private var thumbnails: [[Float]] = []
    private var times: [Int64] = []
    private var lastEnd = Int64.min

    init(minContent: Double) {
        self.minContent = minContent
    }

    mutating func reset() {
        thumbnails = []
        times = []
    }

    mutating func observe(_ frame: GrayFrame, at time: Int64) -> Transition? {
        let thumbnail = Self.thumbnail(frame)
        if let last = thumbnails.last, last.count != thumbnail.count { reset() }
        thumbnails.append(thumbnail)
        times.append(time)
        let horizon = time &- (Self.maxDuration + 2 * Self.settle + 200_000)
        if let keepFrom = times.firstIndex(where: { $0 >= horizon }), keepFrom > 0 {
            thumbnails.removeFirst(keepFrom)
            times.removeFirst(keepFrom)
        }
        guard let end = times.lastIndex(where: { $0 <= time &- Self.settle }) else { return nil }
        let newest = thumbnails.count - 1
        let afterChange = Self.difference(thumbnails[end], thumbnails[newest])
        // The latest start that passes: at the real start the picture before is still steady.
        for start in stride(from: end - 1, through: 0, by: -1) {
            let duration = times[end] &- times[start]
            if duration < Self.minDuration { continue }
            if duration > Self.maxDuration || times[start] <= lastEnd { break }
            guard let before = times.lastIndex(where: { $0 <= times[start] &- Self.settle }) else { break }
            let total = Self.difference(thumbnails[start], thumbnails[end])
            // Steady ends: a fade's slow tail near black must not pass for a held picture.
            let steady = max(2, 0.08 * total)
            guard total >= minContent, afterChange < steady,
                  Self.difference(thumbnails[before], thumbnails[start]) < steady else { continue }
            let steps = stepSizes(from: start, to: end)
            // Spread over the span: a fade through black travels further than `total`, so the
            // largest step is weighed against the whole path; a cut is one step.
            guard steps.largest < 0.35 * steps.path, isMix(from: start, to: end, total: total) else { continue }
            let startPixels = thumbnails[start].map { UInt8($0) }, endPixels = thumbnails[end].map { UInt8($0) }
            guard !SceneDetector.isLightingChange(from: startPixels, to: endPixels) else { continue }
            lastEnd = times[end]
            return Transition(start: times[start], end: times[end], contentDelta: total)
        }
        return nil
    }

    private func stepSizes(from start: Int, to end: Int) -> (largest: Double, path: Double) {
        var largest = 0.0, path = 0.0
        for index in (start + 1)...end {
            let step = Self.difference(thumbnails[index - 1], thumbnails[index])
            largest = max(largest, step)
            path += step
        }
        return (largest, path)
    }

    /// Every frame between is a·start + b·end + c with small residue, `a` not rising and `b` not
    /// falling (beyond a little slack), and the mix gets from one end to the other.
    private func isMix(from start: Int, to end: Int, total: Double) -> Bool {
        var previous = (a: 1.0, b: 0.0)
        for index in (start + 1)..<end {
            guard let fit = Self.mix(thumbnails[index], thumbnails[start], thumbnails[end]),
                  fit.residue < max(3, 0.25 * total),
                  fit.a <= previous.a + 0.15, fit.b >= previous.b - 0.15 else { return false }
            previous = (fit.a, fit.b)
        }
        return true
    }

    /// Least squares of frame ≈ a·p + b·q + c; nil when p and q are too alike to tell apart.
    static func mix(_ frame: [Float], _ p: [Float], _ q: [Float]) -> (a: Double, b: Double, residue: Double)? {
        let n = Double(frame.count)
        var sp = 0.0, sq = 0.0, sf = 0.0, spp = 0.0, sqq = 0.0, spq = 0.0, spf = 0.0, sqf = 0.0
        for i in 0..<frame.count {
            let x = Double(p[i]), y = Double(q[i]), f = Double(frame[i])
            sp += x; sq += y; sf += f; spp += x * x; sqq += y * y; spq += x * y; spf += x * f; sqf += y * f
        }
        // Centred normal equations for a and b; c follows from the means.
        let cpp = spp - sp * sp / n, cqq = sqq - sq * sq / n, cpq = spq - sp * sq / n
        let cpf = spf - sp * sf / n, cqf = sqf - sq * sf / n
        let determinant = cpp * cqq - cpq * cpq
        guard determinant > 1e-6 * max(cpp * cqq, 1) else {
            // One end is flat (a fade to or from black): fit against the other end alone.
            if cpp >= cqq, cpp > 0 {
                let a = cpf / cpp, c = (sf - a * sp) / n
                return (a, 1 - a, residue(frame) { a * Double(p[$0]) + c })
            } else if cqq > 0 {
                let b = cqf / cqq, c = (sf - b * sq) / n
                return (1 - b, b, residue(frame) { b * Double(q[$0]) + c })
            }
            return nil
        }
        let a = (cpf * cqq - cqf * cpq) / determinant
        let b = (cqf * cpp - cpf * cpq) / determinant
        let c = (sf - a * sp - b * sq) / n
        return (a, b, residue(frame) { a * Double(p[$0]) + b * Double(q[$0]) + c })
    }

    private static func residue(_ frame: [Float], _ model: (Int) -> Double) -> Double {
        var total = 0.0
        for i in 0..<frame.count { total += abs(Double(frame[i]) - model(i)) }
        return total / Double(max(frame.count, 1))
    }

    static func difference(_ a: [Float], _ b: [Float]) -> Double {
        var total: Float = 0
        for i in 0..<min(a.count, b.count) { total += abs(a[i] - b[i]) }
        return Double(total) / Double(max(a.count, 1))
    }

    /// The frame shrunk by 4 in each direction (means of 4×4 blocks; a remainder narrower than
    /// a block is left out).
    static func thumbnail(_ frame: GrayFrame) -> [Float] {
        let width = max(1, frame.width / 4), height = max(1, frame.height / 4)
        var sums = [Int](repeating: 0, count: width * height)
        var counts = [Int](repeating: 0, count: width * height)
        // Each pixel into its block, row by row: no per-block loop bounds.
        frame.pixels.withUnsafeBufferPointer { pixels in
        sums.withUnsafeMutableBufferPointer { sums in
        counts.withUnsafeMutableBufferPointer { counts in
            for yy in 0..<min(frame.height, height * 4) {
                let row = (yy / 4) * width
                let line = yy * frame.width
                for xx in 0..<min(frame.width, width * 4) {
                    sums[row + xx / 4] += Int(pixels[line + xx])
                    counts[row + xx / 4] += 1
                }
            }
        }}}
        return (0..<sums.count).map { Float(sums[$0]) / Float(max(counts[$0], 1)) }
    }
}
