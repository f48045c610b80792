/// How a frame's brightness relates to a reference picture overall: frame ≈ gain × reference +
/// offset, fitted by least squares over the pixels that agree (moving objects are outliers and
/// left out in a second pass). Undoing it keeps exposure changes and slow drift out of motion.
struct BrightnessFit: Equatable {
    var gain: Double = 1
    var offset: Double = 0

    /// The frame's value mapped into the reference's brightness.
    @inline(__always) func undo(_ value: Double) -> Double { (value - offset) / gain }

    static func fit(_ frame: [UInt8], to reference: [Float], ignored: [Bool], inlierLimit: Double) -> BrightnessFit {
        var fit = leastSquares(frame, reference, ignored) { _, _ in true }
        fit = leastSquares(frame, reference, ignored) { f, r in abs(f - (fit.gain * r + fit.offset)) < inlierLimit }
        return fit
    }

    private static func leastSquares(_ frame: [UInt8], _ reference: [Float], _ ignored: [Bool],
                                     _ include: (Double, Double) -> Bool) -> BrightnessFit {
        var n = 0.0, sr = 0.0, sf = 0.0, srr = 0.0, srf = 0.0
        // Every third pixel: thousands of samples fit two numbers as well as all of them would.
        for i in stride(from: 0, to: frame.count, by: 3) where !ignored[i] {
            let f = Double(frame[i]), r = Double(reference[i])
            guard include(f, r) else { continue }
            n += 1; sr += r; sf += f; srr += r * r; srf += r * f
        }
        guard n > 0 else { return BrightnessFit() }
        let variance = srr / n - (sr / n) * (sr / n)
        // A nearly flat reference says nothing about gain: fit the offset only.
        guard variance > 25 else { return BrightnessFit(gain: 1, offset: (sf - sr) / n) }
        let gain = min(2, max(0.5, (srf / n - (sr / n) * (sf / n)) / variance))
        return BrightnessFit(gain: gain, offset: (sf - gain * sr) / n)
    }
}
