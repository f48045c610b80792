/// Repairs one track's timestamps so that decode times strictly increase.
///
/// Policy:
/// - a decode time that repeats or steps back by less than `backwardTolerance` (reordering
///   noise, or a container that leaves the first decode times out) is nudged one tick past
///   the previous one; the timeline is not moved;
/// - a decode time that steps back further, or jumps forward by more than `jumpThreshold`,
///   is a discontinuity: the track is rebased so that the packet follows the previous one by
///   the last frame step, and every later packet keeps that offset;
/// - a missing decode time is inferred from the previous packet; a missing presentation time
///   equals the decode time. Nothing is dropped.
struct TrackClock {
    let jumpThreshold: Int64
    let backwardTolerance: Int64
    private(set) var offset: Int64 = 0
    private var lastDts: Int64?
    private var lastStep: Int64 = 0

    /// The most recent packet duration (given or measured between decode times).
    var step: Int64 { lastStep }

    init(jumpThreshold: Int64, backwardTolerance: Int64 = 500_000) {
        self.jumpThreshold = jumpThreshold
        self.backwardTolerance = backwardTolerance
    }

    struct Repaired: Equatable {
        var dts: Int64
        var pts: Int64
        var discontinuity: Bool
    }

    /// - Parameter tick: the track's smallest time step in microseconds (one unit of its time base).
    mutating func repair(dts rawDts: Int64?, pts rawPts: Int64?, duration: Int64, tick: Int64 = 1) -> Repaired {
        let inputDts: Int64
        if let rawDts {
            inputDts = rawDts
        } else if let last = lastDts {
            let next = last + max(lastStep, duration, tick) - offset
            inputDts = rawPts.map { min($0, next) } ?? next
        } else {
            inputDts = rawPts ?? 0
        }
        let inputPts = rawPts ?? inputDts
        var dts = inputDts + offset
        var discontinuity = false
        if let last = lastDts {
            if dts <= last - backwardTolerance || dts - last > jumpThreshold {
                let step = lastStep > 0 ? lastStep : max(duration, tick)
                offset = last + step - inputDts
                dts = inputDts + offset
                discontinuity = true
            } else if dts <= last {
                dts = last + max(tick, 1)
            }
        }
        if let last = lastDts { lastStep = dts - last }
        if duration > 0 { lastStep = duration }
        lastDts = dts
        // A presentation time before the decode time cannot be stored without negative offsets.
        let pts = max(inputPts + offset, dts)
        return Repaired(dts: dts, pts: pts, discontinuity: discontinuity)
    }
}
