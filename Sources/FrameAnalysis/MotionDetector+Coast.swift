/// Following a visit through pictures that were not decoded (see `AnalysisPipeline+Coast`): a key
/// frame decoded alone shows whether the visitor is still in view, and an open event is carried
/// over the pictures between.
extension MotionDetector {
    /// What in `frame` differs from the background, as `measure` finds objects (brightness
    /// corrected, specks dropped, regions under a quarter of the minimum area ignored) but without
    /// asking that they moved — a single picture cannot show that. Nil before any frame was
    /// seen, for another size, or when most of the picture changed (lights, a cut, the camera).
    public func presence(in frame: GrayFrame) -> (area: Double, box: BoundingBox)? {
        guard let mask, mask.width == frame.width, mask.height == frame.height, background.count == frame.count else {
            return nil
        }
        let n = frame.count
        let unmasked = n - mask.ignoredCount
        let threshold = lastObservation?.threshold ?? max(floorThreshold, noiseMultiple * noise)
        let fit = BrightnessFit.fit(frame.pixels, to: background, ignored: mask.ignored, inlierLimit: threshold)
        var changed = [Bool](repeating: false, count: n)
        for i in 0..<n where !mask.ignored[i] {
            changed[i] = abs(fit.undo(Double(frame.pixels[i])) - Double(background[i])) > threshold
        }
        var map = ChangeMap(width: frame.width, height: frame.height)
        map.build(changed: changed, moved: changed, ignored: mask.ignored, unmasked: unmasked)
        guard map.rawFraction <= Self.rebaseFraction else { return nil }
        let minRegion = max(3, Int(configuration.minArea * Double(unmasked) / 4))
        var area = 0
        var box: BoundingBox?
        for region in map.regions where region.area >= minRegion {
            area += region.area
            let regionBox = BoundingBox(minX: region.minX, minY: region.minY, maxX: region.maxX, maxY: region.maxY,
                                        width: frame.width, height: frame.height)
            box = box.map { $0.union(regionBox) } ?? regionBox
        }
        guard let box, Double(area) / Double(max(unmasked, 1)) >= configuration.minArea else { return nil }
        return (Double(area) / Double(max(unmasked, 1)), box)
    }

    /// The open event went on through pictures left undecoded up to `time` (the visitor was
    /// moving in them, as their coded sizes and the key frames either side show). Returns false
    /// when no event is open.
    public mutating func coast(through time: Int64, area: Double, box: BoundingBox) -> Bool {
        guard var interval = current else { return false }
        interval.end = max(interval.end, time)
        interval.peakArea = max(interval.peakArea, area)
        interval.box = interval.box.union(box)
        current = interval
        return true
    }
}
