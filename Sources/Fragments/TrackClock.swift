/// Repairs one track's timestamps so that decode times strictly increase.
///
/// Policy: a decode time that goes backwards, repeats, or jumps forward by more than
/// `jumpThreshold` is a discontinuity. The track is rebased so that the offending packet
/// follows the previous one by the previous packet's duration, and every later packet keeps
/// that offset. Missing timestamps are inferred from the previous packet. Nothing is dropped.
struct TrackClock {
    let jumpThreshold: Int64
    private(set) var offset: Int64 = 0
    private var lastDts: Int64?
    private var lastStep: Int64 = 0

    /// The most recent packet duration (given or measured between decode times).
    var step: Int64 { lastStep }

    init(jumpThreshold: Int64) {
        self.jumpThreshold = jumpThreshold
    }

    struct Repaired: Equatable {
        var dts: Int64
        var pts: Int64
        var discontinuity: Bool
    }

    mutating func repair(dts rawDts: Int64?, pts rawPts: Int64?, duration: Int64) -> Repaired {
        let guessed = lastDts.map { $0 + max(lastStep, 1) - offset } ?? 0
        let inputDts = rawDts ?? rawPts ?? guessed
        let inputPts = rawPts ?? inputDts
        var dts = inputDts + offset
        var discontinuity = false
        if let last = lastDts, dts <= last || dts - last > jumpThreshold {
            let step = lastStep > 0 ? lastStep : max(duration, 1)
            offset = last + step - inputDts
            dts = inputDts + offset
            discontinuity = true
        }
        if let last = lastDts { lastStep = dts - last }
        if duration > 0 { lastStep = duration }
        lastDts = dts
        // A presentation time before the decode time cannot be stored without negative offsets.
        let pts = max(inputPts + offset, dts)
        return Repaired(dts: dts, pts: pts, discontinuity: discontinuity)
    }
}
