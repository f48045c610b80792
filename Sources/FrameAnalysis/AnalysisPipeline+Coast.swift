import Media

/// Following a visit without decoding all of it: while an event is open and the gate trusts the
/// sizes, the GOPs in the middle of a visit — the visitor moving the whole time — are held, and
/// only the key frame after each is decoded. Such a GOP is left undecoded when
/// - its coded sizes never stayed down among the quiet ones for long (something kept moving: a
///   visitor who stops codes small, still pictures at once),
/// - and the key frame after it still shows the visitor against the background, elsewhere than
///   in the last picture seen, with the light unchanged.
/// Otherwise the GOP is decoded from its key frame at once, so the detectors see it frame by
/// frame: the first GOP of a visit (onset) and the one it ends in are always decoded, and event
/// times stay frame-exact. The open event is carried over the undecoded pictures; its peak area
/// and box come from the pictures decoded (the key frames included).
extension AnalysisPipeline {
    /// How recent the last motion must be at a key frame for the next GOP to be coasted.
    static let coastRecency: Int64 = 250_000
    /// Small sizes for this long end coasting however long the event gap: the visitor has most
    /// likely stopped or left, and the GOP is best decoded now rather than at the next key frame.
    static let quietRunLimit: Int64 = 500_000

    /// Whether the GOP starting at this key frame may be coasted: motion ran up to it.
    func mayCoast(at time: Int64?) -> Bool {
        guard settings.coastThroughVisits, gate.isGating, motion.isActive, let time, let lastActivity,
              time &- lastActivity <= Self.coastRecency, motion.lastObservation?.fresh == true else { return false }
        return true
    }

    /// The open GOP's last frames are analysed; the GOP this key frame starts is held.
    func startCoasting(_ packet: Packet) {
        try? decoder.decode(nil) { analyse($0) }
        gopOpen = false
        coasting = true
        gopBusy = true
        coast(from: packet, analysed: false)
    }

    /// Holds the GOP this key frame starts as a coasted one.
    private func coast(from packet: Packet, analysed: Bool) {
        held = [packet]
        heldKeys = [0]
        heldBytes = packet.size
        heldStartsAnalysed = analysed
        coastSawQuiet = false
        quietSince = nil
    }

    /// A picture of a coasted GOP: sizes small for a third of the event gap (at most
    /// `quietRunLimit`) end coasting — the GOP is decoded from its key frame. A stop as long as
    /// the gap, which ends an event, spans at most two coasted GOPs, so one of them holds half of
    /// it (a third, less the pictures at a GOP's start whose window is not full yet); shorter dips
    /// are a flat object coded cheaply for a few pictures, or a pause that ends no event.
    func coastedPicture(at time: Int64?) throws {
        if gate.lastWindowQuiet, let time {
            let since = quietSince ?? time
            quietSince = since
            if time &- since >= min(settings.motion.eventGap / 3, Self.quietRunLimit) { coastSawQuiet = true }
        } else {
            quietSince = nil
        }
        if coastSawQuiet || held.count > Self.heldLimit.packets || heldBytes > Self.heldLimit.bytes {
            try stopCoasting(then: nil)
        }
    }

    /// The coasted GOP ends at this key frame: left undecoded when the key frame shows the visitor
    /// still there and moved, else decoded.
    func keyFrameWhileCoasting(_ packet: Packet) throws {
        gopBusy = true
        guard !coastSawQuiet, gate.isGating, let key = decodeAlone(packet), let last = reference?.frame,
              let seen = motion.presence(in: key.frame),
              !PictureChange.brightnessShifted(key.frame, from: last, ignored: checkMask(for: key.frame).ignored,
                                               threshold: checkThreshold),
              changed(key.frame), let lastHeld = held.compactMap(\.pts).max(),
              motion.coast(through: lastHeld, area: seen.area, box: seen.box) else {
            return try stopCoasting(then: packet)
        }
        skip(before: held.count)
        coastedBeforeNext = true
        analyse(key.frame, at: key.time)
        lastActivity = key.time
        coast(from: packet, analysed: true)
    }

    /// Decodes the coasted GOP (and `packet`, the key frame after it) and goes back to decoding
    /// everything.
    func stopCoasting(then packet: Packet?) throws {
        coasting = false
        gopOpen = true
        defer { clearHeld() }
        try replay(held + (packet.map { [$0] } ?? []))
    }
}
