/// Finds cuts: frames where the view changes abruptly and stays changed. Pure: gray frames and
/// their times (µs) in, cuts out, a few frames late (it looks ahead to rule out flashes).
///
/// A frame is a cut when its mean absolute difference from the previous frame
/// - reaches a floor set by the sensitivity (small changes are never cuts),
/// - is several times the differences around it (adaptive: fast motion or a pan changes every
///   frame a lot, a cut changes one frame far more than its neighbours), and
/// - persists: the frame a few steps later still differs from the pictures before the cut (a
///   flash or a one-frame glitch returns to the old picture), and
/// - is not the same view lit differently: a light switched on or off on a static camera maps
///   every pixel through about one gain and offset, so the pictures stay correlated; a cut does not.
public struct SceneDetector: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var sensitivity: Double = 0.5
        /// No second cut within this time of the last, µs.
        public var minSceneLength: Int64 = 500_000

        public init(sensitivity: Double = 0.5, minSceneLength: Int64 = 500_000) {
            self.sensitivity = sensitivity
            self.minSceneLength = minSceneLength
        }
    }

    public enum Transition: String, Sendable, Equatable {
        /// One frame to the next.
        case cut
        /// A dissolve or fade over 0.4–2.5 s (`GradualTransitionDetector`).
        case gradual
    }

    public struct Cut: Sendable, Equatable {
        /// Time of the first frame of the new view; of a gradual transition, its first changed frame.
        public var time: Int64
        public var transition: Transition = .cut
        /// A gradual transition's last frame (the new view whole).
        public var end: Int64?
        /// The cut frame's difference over the mean difference of its neighbours.
        public var score: Double
        /// Mean absolute luma difference from the previous frame (0…255).
        public var contentDelta: Double
    }

    public let configuration: Configuration
    /// Frames on either side whose differences the cut must stand out from.
    static let window = 2
    /// Frames after the cut that must still differ from the picture before it.
    static let lookahead = 2

    private var frames: [[UInt8]] = []
    private var times: [Int64] = []
    /// differences[i] = difference between frames[i] and frames[i - 1] (0 for i = 0).
    private var differences: [Double] = []
    private var lastCut: Int64?
    private var gradual: GradualTransitionDetector

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        gradual = GradualTransitionDetector(minContent: Self.minContent(sensitivity: configuration.sensitivity))
    }

    /// The smallest mean difference a cut (or a gradual transition, end to end) may have.
    static func minContent(sensitivity: Double) -> Double { 5 + 14 * (1 - sensitivity) }
    var minContent: Double { Self.minContent(sensitivity: configuration.sensitivity) }
    var minRatio: Double { 2 + 2 * (1 - configuration.sensitivity) }

    public mutating func observe(_ frame: GrayFrame, at time: Int64) -> Cut? {
        if let last = frames.last, last.count != frame.count { reset() }
        differences.append(frames.last.map { Self.meanDifference($0, frame.pixels) } ?? 0)
        frames.append(frame.pixels)
        times.append(time)
        let keep = Self.window * 2 + 2
        if frames.count > keep {
            frames.removeFirst()
            times.removeFirst()
            differences.removeFirst()
        }
        let slow = gradual.observe(frame, at: time)
        // The candidate needs `window` differences before it (the first needs a frame before it).
        let candidate = frames.count - 1 - max(Self.window, Self.lookahead)
        if candidate >= Self.window + 1, let cut = evaluate(candidate) { return cut }
        guard let slow else { return nil }
        if let lastCut, slow.start &- lastCut < configuration.minSceneLength { return nil }
        lastCut = slow.end
        return Cut(time: slow.start, transition: .gradual, end: slow.end, score: 0, contentDelta: slow.contentDelta)
    }

    /// Forget the recent frames (after a gap, or when frames were skipped).
    public mutating func reset() {
        gradual.reset()
        frames = []
        times = []
        differences = []
    }

    private mutating func evaluate(_ t: Int) -> Cut? {
        let delta = differences[t]
        guard delta >= minContent else { return nil }
        var around = 0.0
        for k in 1...Self.window { around += differences[t - k] + differences[t + k] }
        around /= Double(2 * Self.window)
        let ratio = delta / max(around, 1)
        guard ratio >= minRatio else { return nil }
        // The picture after the cut must differ from the one just before it (a flash returns to
        // it) and from the oldest one kept (the end of a flash returns to what preceded the flash).
        let after = frames[t + Self.lookahead]
        let persisted = min(Self.meanDifference(frames[t - 1], after), Self.meanDifference(frames[0], after))
        guard persisted >= 0.5 * delta else { return nil }
        if Self.isLightingChange(from: frames[t - 1], to: frames[t]) { return nil }
        if let lastCut, times[t] &- lastCut < configuration.minSceneLength { return nil }
        lastCut = times[t]
        return Cut(time: times[t], score: ratio, contentDelta: delta)
    }

    /// Whether `after` is `before` under another light: the two pictures are strongly correlated
    /// pixel by pixel (a correlation does not care about one gain and offset over the picture; a
    /// new view, a covered lens or an inverted picture is not correlated with the old one). Pixels
    /// clipped at black or white in either picture say nothing and are left out.
    static func isLightingChange(from before: [UInt8], to after: [UInt8]) -> Bool {
        guard before.count == after.count, !before.isEmpty else { return false }
        var n = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for i in stride(from: 0, to: after.count, by: 2) {
            let a = before[i], b = after[i]
            if a <= 2 || a >= 253 || b <= 2 || b >= 253 { continue }
            let x = Double(a), y = Double(b)
            n += 1; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y
        }
        // A picture clipped almost everywhere (a blinding light) is not judged here.
        guard n * 8 >= Double(after.count) else { return false }
        let covariance = sab / n - (sa / n) * (sb / n)
        let varianceBefore = saa / n - (sa / n) * (sa / n), varianceAfter = sbb / n - (sb / n) * (sb / n)
        guard varianceBefore > 1, varianceAfter > 1 else { return false }
        return covariance / (varianceBefore * varianceAfter).squareRoot() >= 0.8
    }

    static func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        var total = 0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<min(a.count, b.count) { total += abs(Int(a[i]) - Int(b[i])) }
            }
        }
        return Double(total) / Double(max(a.count, 1))
    }
}
