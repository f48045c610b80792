/// How a frame's brightness relates to a reference picture overall: frame ≈ gain × reference +
/// offset, fitted by least squares over the pixels that agree (moving objects are outliers and
/// left out in a second pass). Undoing it keeps exposure changes and slow drift out of motion.
struct BrightnessFit: Equatable {
    var gain: Double = 1
    var offset: Double = 0

    /// The frame's value mapped into the reference's brightness.
    @inline(__always) func undo(_ value: Double) -> Double { (value - offset) / gain }

    /// `undo` of every 8-bit value: a per-pixel loop looks it up instead of dividing.
    var undoTable: [Double] { (0...255).map { undo(Double($0)) } }

    static func fit<Reference: FitSample>(_ frame: [UInt8], to reference: [Reference], ignored: [Bool],
                                          inlierLimit: Double) -> BrightnessFit {
        frame.withUnsafeBufferPointer { frame in
            reference.withUnsafeBufferPointer { reference in
                ignored.withUnsafeBufferPointer { ignored in
                    let all = leastSquares(frame, reference, ignored, inliersOf: nil)
                    return leastSquares(frame, reference, ignored, inliersOf: (all, inlierLimit))
                }
            }
        }
    }

    /// `inliersOf`: only pixels within `limit` of that fit count (nil: every pixel).
    private static func leastSquares<Reference: FitSample>(
        _ frame: UnsafeBufferPointer<UInt8>, _ reference: UnsafeBufferPointer<Reference>,
        _ ignored: UnsafeBufferPointer<Bool>, inliersOf: (fit: BrightnessFit, limit: Double)?
    ) -> BrightnessFit {
        var n = 0.0, sr = 0.0, sf = 0.0, srr = 0.0, srf = 0.0
        let count = min(frame.count, reference.count, ignored.count)
        let gain = inliersOf?.fit.gain ?? 1, offset = inliersOf?.fit.offset ?? 0
        let limit = inliersOf?.limit ?? .infinity
        // Every third pixel: thousands of samples fit two numbers as well as all of them would.
        for i in stride(from: 0, to: count, by: 3) where !ignored[i] {
            let f = Double(frame[i]), r = reference[i].level
            if inliersOf != nil, !(abs(f - (gain * r + offset)) < limit) { continue }
            n += 1; sr += r; sf += f; srr += r * r; srf += r * f
        }
        guard n > 0 else { return BrightnessFit() }
        let variance = srr / n - (sr / n) * (sr / n)
        // A nearly flat reference says nothing about gain: fit the offset only.
        guard variance > 25 else { return BrightnessFit(gain: 1, offset: (sf - sr) / n) }
        let fitted = min(2, max(0.5, (srf / n - (sr / n) * (sf / n)) / variance))
        return BrightnessFit(gain: fitted, offset: (sf - fitted * sr) / n)
    }
}

/// A reference picture's sample: 8-bit pixels or a running average.
protocol FitSample {
    var level: Double { get }
}

extension UInt8: FitSample {
    @inline(__always) var level: Double { Double(self) }
}

extension Float: FitSample {
    @inline(__always) var level: Double { Double(self) }
}
