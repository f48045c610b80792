/// Whether anything the detectors could report happened between two pictures of a fixed camera
/// (seconds apart: the key frames that bracket a GOP left undecoded). Deliberately more easily
/// triggered than the detectors: a false "changed" costs one GOP's decode, a missed one an event.
enum PictureChange {
    /// - Parameters:
    ///   - threshold: a pixel's brightness-corrected difference that counts as changed (the
    ///     motion detector's current threshold, which follows the noise).
    ///   - minChanged: changed pixels that make the pictures differ (a fraction of the smallest
    ///     motion area).
    static func differs(_ frame: GrayFrame, from reference: GrayFrame, ignored: [Bool], threshold: Double,
                        minChanged: Int) -> Bool {
        guard frame.count == reference.count, ignored.count == frame.count else { return true }
        let levels = reference.pixels
        let fit = BrightnessFit.fit(frame.pixels, to: levels, ignored: ignored, inlierLimit: threshold)
        if isBrightnessShift(fit) { return true }
        var changed = 0
        for i in 0..<frame.count where !ignored[i] {
            if abs(fit.undo(Double(frame.pixels[i])) - Double(levels[i])) > threshold {
                changed += 1
                if changed >= minChanged { return true }
            }
        }
        return false
    }

    /// Whether the picture as a whole got lighter or darker than `reference` (a light, a fade, an
    /// exposure step: the scene detector must see it frame by frame).
    static func brightnessShifted(_ frame: GrayFrame, from reference: GrayFrame, ignored: [Bool], threshold: Double) -> Bool {
        guard frame.count == reference.count, ignored.count == frame.count else { return true }
        return isBrightnessShift(BrightnessFit.fit(frame.pixels, to: reference.pixels, ignored: ignored, inlierLimit: threshold))
    }

    private static func isBrightnessShift(_ fit: BrightnessFit) -> Bool {
        abs(fit.gain - 1) > 0.06 || abs(fit.offset + (fit.gain - 1) * 128) > 5
    }
}
