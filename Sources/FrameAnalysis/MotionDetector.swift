import Foundation

/// Finds things moving in a fixed camera's view. Pure: gray frames and their times (µs) in,
/// start/end transitions out.
///
/// - The background is a per-pixel running average. Before comparing, the frame's overall
///   brightness (gain and offset) is fitted to the background's and undone, so a slow drift or
///   auto-exposure does not look like motion.
/// - The threshold follows the measured noise (median absolute residual), never below a floor
///   set by the sensitivity: sensor noise and compression artefacts stay under it.
/// - Changed pixels with fewer than two changed neighbours are dropped (a blinking LED, specks);
///   regions smaller than a quarter of the minimum area are ignored; a region counts as motion
///   only if part of it also changed in the last 0.35 s (a parked car does not; slow creeping
///   motion, a fraction of a pixel per analysed frame, does — it must then last longer than
///   those 0.35 s, which a sudden step does not).
/// - When most of the picture changes at once (lights switched, an IR-cut filter, the camera
///   moved) the model is re-based on the new picture instead of reporting motion.
public struct MotionDetector: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// 0 (only large, contrasting changes) … 1 (the faintest); 0.5 by default.
        public var sensitivity: Double = 0.5
        /// The smallest moving area that fires, as a fraction of the (unmasked) picture.
        public var minArea: Double = 0.002
        /// Stillness that ends an event, µs.
        public var eventGap: Int64 = 2_000_000
        /// Polygons to ignore, normalised coordinates.
        public var mask: [RegionMask.Polygon] = []

        public init(sensitivity: Double = 0.5, minArea: Double = 0.002, eventGap: Int64 = 2_000_000,
                    mask: [RegionMask.Polygon] = []) {
            self.sensitivity = sensitivity
            self.minArea = minArea
            self.eventGap = eventGap
            self.mask = mask
        }
    }

    /// A finished motion event.
    public struct Interval: Sendable, Equatable {
        public var start: Int64
        /// Time of the last frame with motion.
        public var end: Int64
        public var peakArea: Double
        public var box: BoundingBox
    }

    public enum Transition: Sendable, Equatable {
        case started(at: Int64, area: Double, box: BoundingBox)
        case ended(Interval)
    }

    /// What the last frame showed, for diagnostics and tests.
    public struct Observation: Sendable, Equatable {
        public var area: Double
        public var box: BoundingBox?
        public var rebased: Bool
        public var threshold: Double
        /// The motion also shows against the previous analysed frame (not only over `movedSpan`).
        public var fresh = true
    }

    public let configuration: Configuration
    public private(set) var lastObservation: Observation?
    public var isActive: Bool { current != nil }

    private(set) var background: [Float] = []
    /// Recent analysed frames (oldest first) and their times: "moved" compares with the oldest
    /// within `movedSpan`, so slow creeping motion (a fraction of a pixel per analysed frame)
    /// still shows as movement while a parked object stops showing within that span.
    private var recent: [(time: Int64, pixels: [UInt8])] = []
    static let movedSpan: Int64 = 350_000
    /// A larger share of the picture changing at once re-bases the model (not motion).
    static let rebaseFraction = 0.35
    private(set) var mask: RegionMask?
    private var changeMap: ChangeMap?
    private(set) var noise: Double = 2
    private var lastTime: Int64?
    private var candidateSince: Int64?
    private var candidateRun = 0
    private var freshRun = 0
    var current: Interval?
    /// The next frame follows pictures a decode gate coasted through (see `resume`).
    private var changesMove = false
    /// Per-pixel results of the last comparison, kept to spare an allocation per frame.
    private var changed: [Bool] = []
    private var moved: [Bool] = []
    private var movedNow: [Bool] = []

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public mutating func observe(_ frame: GrayFrame, at time: Int64) -> Transition? {
        if mask?.width != frame.width || mask?.height != frame.height {
            mask = RegionMask(polygons: configuration.mask, width: frame.width, height: frame.height)
            changeMap = ChangeMap(width: frame.width, height: frame.height)
            rebase(on: frame)
            lastTime = time
            return nil
        }
        let elapsed = Double(max(0, min(time &- (lastTime ?? time), 1_000_000))) / 1_000_000
        lastTime = time
        let observation = measure(frame, elapsed: elapsed, time: time)
        lastObservation = observation
        return advance(time: time, observation: observation)
    }

    /// The frames before `time` were left out as still (a decode gate skipped them): an event
    /// whose last motion is `eventGap` old by then ended in them, as it would have frame by frame.
    public mutating func settle(before time: Int64) -> Transition? {
        guard let interval = current, time &- interval.end >= configuration.eventGap else { return nil }
        current = nil
        return .ended(interval)
    }

    /// Ends an open event at the end of the stream.
    public mutating func finish() -> Transition? {
        guard let interval = current else { return nil }
        current = nil
        return .ended(interval)
    }

    /// Frames were left out because nothing changed in them (a decode gate checked that the next
    /// frame matches the last one seen): the background, built over many frames, still holds;
    /// only what moved recently is forgotten. (A single new frame as the background, as after
    /// `reset`, carries its own noise into every comparison and loses faint first motion.)
    /// `keepingClock`: the frames left out were a visitor moving (coasting): the next frame
    /// updates the background for the time since the last one, as decoding them would have, the
    /// visitor's pixels at the slow rate of moving ones.
    public mutating func resume(keepingClock: Bool = false) {
        recent = []
        if keepingClock { changesMove = true } else { lastTime = nil }
        candidateSince = nil
        candidateRun = 0
        freshRun = 0
    }

    /// Forget the picture (after a gap in the frames): the next frame becomes the background.
    public mutating func reset() {
        mask = nil
        candidateSince = nil
        candidateRun = 0
        freshRun = 0
    }

    private mutating func rebase(on frame: GrayFrame) {
        background = frame.pixels.map { Float($0) }
        recent = []
        changesMove = false
        candidateSince = nil
        candidateRun = 0
        freshRun = 0
    }

    var floorThreshold: Double { 8 + 16 * (1 - configuration.sensitivity) }
    var noiseMultiple: Double { 3 + 3 * (1 - configuration.sensitivity) }

    private mutating func measure(_ frame: GrayFrame, elapsed: Double, time: Int64) -> Observation {
        let mask = self.mask!
        let n = frame.count
        let unmasked = n - mask.ignoredCount
        let threshold = max(floorThreshold, noiseMultiple * noise)
        let last = recent.last?.pixels ?? frame.pixels
        let spanIndex = recent.firstIndex { time &- $0.time <= Self.movedSpan }
        // At low frame rates (or just after a re-base) the span reaches back only to the last
        // frame: one comparison serves for both.
        let spanIsLast = spanIndex == nil || spanIndex == recent.count - 1
        let previous = spanIsLast ? last : recent[spanIndex!].pixels
        let toBackground = BrightnessFit.fit(frame.pixels, to: background, ignored: mask.ignored, inlierLimit: threshold)
        let toLast = BrightnessFit.fit(frame.pixels, to: last, ignored: mask.ignored, inlierLimit: threshold)
        let toPrevious = spanIsLast ? toLast : BrightnessFit.fit(frame.pixels, to: previous, ignored: mask.ignored, inlierLimit: threshold)
        var residuals = [Int](repeating: 0, count: 256)
        if changed.count != n {
            changed = [Bool](repeating: false, count: n)
            moved = changed
            movedNow = changed
        }
        PixelComparison.compare(
            frame.pixels, background: background, last: last, previous: spanIsLast ? nil : previous,
            undo: (toBackground.undoTable, toLast.undoTable, toPrevious.undoTable), ignored: mask.ignored,
            threshold: threshold, residuals: &residuals, changed: &changed, moved: &moved, movedNow: &movedNow)
        // Noise: 1.4826 × median absolute residual estimates σ when most pixels are background.
        var seen = 0, median = 0
        for (value, count) in residuals.enumerated() {
            seen += count
            if seen * 2 >= unmasked { median = value; break }
        }
        noise = 0.9 * noise + 0.1 * max(1, 1.4826 * Double(median))

        changeMap!.build(changed: changed, moved: moved, ignored: mask.ignored, unmasked: unmasked)
        let map = changeMap!
        remember(frame.pixels, at: time)
        if map.rawFraction > Self.rebaseFraction {
            rebase(on: frame)
            return Observation(area: 0, box: nil, rebased: true, threshold: threshold)
        }
        let minRegion = max(3, Int(configuration.minArea * Double(unmasked) / 4))
        var area = 0
        var box: BoundingBox?
        var active = [Bool](repeating: false, count: map.regions.count + 1)
        var movingNow = [Int](repeating: 0, count: map.regions.count + 1)
        for i in 0..<n where movedNow[i] { movingNow[Int(map.labels[i])] += 1 }
        var fresh = false
        for (index, region) in map.regions.enumerated()
        where region.area >= minRegion && region.moving >= max(2, region.area / 50) {
            active[index + 1] = true
            if movingNow[index + 1] >= max(2, region.area / 50) { fresh = true }
            area += region.area
            let regionBox = BoundingBox(minX: region.minX, minY: region.minY, maxX: region.maxX, maxY: region.maxY,
                                        width: frame.width, height: frame.height)
            box = box.map { $0.union(regionBox) } ?? regionBox
        }
        // Right after coasting nothing can be seen moving yet (no recent frames), but what
        // differs is the visitor known to move: it must not soak into the background.
        updateBackground(frame, map: map, active: changesMove ? active.map { _ in true } : active, elapsed: elapsed)
        changesMove = false
        return Observation(area: Double(area) / Double(max(unmasked, 1)), box: box, rebased: false, threshold: threshold,
                           fresh: fresh)
    }

    private mutating func remember(_ pixels: [UInt8], at time: Int64) {
        recent.append((time, pixels))
        while recent.count > 1, time &- recent[0].time > Self.movedSpan { recent.removeFirst() }
    }

    /// Background pixels follow the picture within about a second; a still object is absorbed in
    /// a few seconds; pixels under a moving object barely move, so it leaves no trail.
    private mutating func updateBackground(_ frame: GrayFrame, map: ChangeMap, active: [Bool], elapsed: Double) {
        let fast = Float(1 - exp(-elapsed / 1.0))
        let still = Float(1 - exp(-elapsed / 5.0))
        let slow = Float(1 - exp(-elapsed / 30.0))
        // Per label, its rate: one lookup per pixel.
        let rates = [fast] + active.dropFirst().map { $0 ? slow : still }
        precondition(map.labels.count == frame.count && background.count == frame.count)
        map.labels.withUnsafeBufferPointer { labels in
        frame.pixels.withUnsafeBufferPointer { pixels in
        rates.withUnsafeBufferPointer { rates in
        background.withUnsafeMutableBufferPointer { background in
            for i in 0..<pixels.count {
                background[i] += rates[Int(labels[i])] * (Float(pixels[i]) - background[i])
            }
        }}}}
    }

    private mutating func advance(time: Int64, observation: Observation) -> Transition? {
        let isMotion = observation.area >= configuration.minArea && observation.box != nil
        if var interval = current {
            if isMotion {
                interval.end = time
                interval.peakArea = max(interval.peakArea, observation.area)
                interval.box = interval.box.union(observation.box!)
                current = interval
            } else if time &- interval.end >= configuration.eventGap {
                current = nil
                return .ended(interval)
            }
            return nil
        }
        guard isMotion else {
            candidateSince = nil
            candidateRun = 0
            freshRun = 0
            return nil
        }
        // Two analysed frames in a row moving against their previous one: one frame of change
        // can be a glitch. Motion seen only over `movedSpan` (slow creeping) must last longer
        // than the span: a step (a light switched) shows there for at most the span.
        candidateRun += 1
        freshRun = observation.fresh ? freshRun + 1 : 0
        if candidateSince == nil { candidateSince = time }
        guard let start = candidateSince, freshRun >= 2 || (candidateRun >= 2 && time &- start > Self.movedSpan) else { return nil }
        current = Interval(start: start, end: time, peakArea: observation.area, box: observation.box!)
        return .started(at: start, area: observation.area, box: observation.box!)
    }
}
