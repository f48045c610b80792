import Media

/// How `AnalysisPipeline` leaves quiet GOPs undecoded (`DecodeGate` decides from sizes).
///
/// While gating, packets are held from the last checked key frame on. A key frame is decoded
/// alone only every `checkInterval` (key frames cost far more to decode than quiet pictures) and
/// compared with the last picture seen (`reference`). A change (creeping motion, a slow light)
/// has the held GOPs decoded before it; if nothing changed, all but the last GOP are dropped.
/// Sizes that grow have the current GOP decoded at once, with the GOP before it as the
/// detectors' lead-in (a gradual transition must be seen steady before it starts), after that
/// GOP's key frame is checked the same way. Either way the detectors see every frame that
/// matters, in order, at its own time; after skipped pictures they start afresh.
extension AnalysisPipeline {
    /// Pictures the detectors need before a change (a gradual transition's steady start, motion's
    /// 0.35 s look back): a GOP flagged sooner after its key frame is decoded from the one before.
    static let leadIn: Int64 = 700_000
    /// Stillness seen by the detectors before GOPs are held again.
    static let settleTime: Int64 = 1_000_000
    /// Longest stretch of producer time left unchecked by a decoded key frame.
    static let checkInterval: Int64 = 10_000_000
    /// Held packets beyond these (a camera with a very long key frame interval) are decoded.
    static let heldLimit = (packets: 900, bytes: 16 << 20)

    func picture(_ packet: Packet, reader: NALUnitReader) throws {
        let looksDifferent = gate.picture(packet.withBytes(reader.summary))
        if looksDifferent { gopFlagged = true }
        if gopOpen {
            try decoder.decode(packet) { analyse($0) }
            return
        }
        held.append(packet)
        heldBytes += packet.size
        if looksDifferent || held.count > Self.heldLimit.packets || heldBytes > Self.heldLimit.bytes {
            try openCurrentGOP(at: packet.pts)
        }
    }

    /// Settles the GOP that ends here and starts the next one, open or held.
    func keyFrame(_ packet: Packet, reader: NALUnitReader) throws {
        if sawKeyFrame { gate.endGOP(busy: gopBusy) }
        sawKeyFrame = true
        gate.keyFrame(sliceBytes: packet.withBytes(reader.summary).sliceBytes)
        let wasFlagged = gopFlagged
        gopBusy = false
        gopFlagged = false
        if !gopOpen {
            try keyFrameWhileHolding(packet)
        } else if !mayHold(at: packet.pts, flagged: wasFlagged) {
            try decoder.decode(packet) { analyse($0) }
        } else {
            // From decoding everything to holding: the open GOP's last frames, then this key
            // frame alone (analysed: it follows them).
            try? decoder.decode(nil) { analyse($0) }
            if let key = decodeAlone(packet) { analyse(key.frame, at: key.time) }
            held = [packet]
            heldKeys = [0]
            heldBytes = packet.size
            heldStartsAnalysed = true
            gopOpen = false
        }
    }

    private func keyFrameWhileHolding(_ packet: Packet) throws {
        let due = reference.map { (packet.pts ?? .max) &- $0.time >= Self.checkInterval } ?? true
        if gate.isGating && !due {
            heldKeys.append(held.count)
            held.append(packet)
            heldBytes += packet.size
            return
        }
        let key = decodeAlone(packet)
        if let key, changed(key.frame) {
            gate.missed()
            gopOpen = true
            try replay(held + [packet])
            clearHeld()
            return
        }
        if let key {
            reference = (key.time, key.frame)
            // Skipped pictures were still: an event whose gap ran out in them has ended.
            if case let .ended(interval)? = motion.settle(before: key.time) {
                events.append(motionEnd(interval, server: serverTime(of: interval.end) ?? lastServerTime ?? 0))
            }
        }
        // Only the last GOP is kept: the detectors' lead-in should the next one need decoding.
        let last = heldKeys.last ?? 0
        picturesSkipped += last - (heldStartsAnalysed && last > 0 ? 1 : 0)
        if last > 0 { heldStartsAnalysed = false }
        held = Array(held[last...]) + [packet]
        heldKeys = [0, held.count - 1]
        heldBytes = held.reduce(0) { $0 + $1.size }
        if !mayHold(at: packet.pts, flagged: false) {
            gopOpen = true
            try replay(held)
            clearHeld()
        }
    }

    /// The current GOP looks different: decode it from its key frame, or from the one before
    /// when the change shows within `leadIn` of it (a gradual transition must be seen steady
    /// before it starts) — or everything held, if that key frame shows a change the sizes did not.
    private func openCurrentGOP(at time: Int64?) throws {
        gopOpen = true
        defer { clearHeld() }
        guard var from = heldKeys.last, from > 0 else { return try replay(held) }
        if let keyTime = held[from].pts, let time, time &- keyTime < Self.leadIn, heldKeys.count >= 2 {
            from = heldKeys[heldKeys.count - 2]
        }
        guard from > 0 else { return try replay(held) }
        if let key = decodeAlone(held[from]), changed(key.frame) {
            gate.missed()
            return try replay(held)
        }
        picturesSkipped += from - (heldStartsAnalysed ? 1 : 0)
        try replay(Array(held[from...]))
    }

    /// GOPs are held again once the gate trusts the sizes, the GOP that ended showed no larger
    /// pictures and the detectors have seen nothing for `settleTime`. A motion event may still be
    /// open: it ends, at its last frame with motion, when a later frame is analysed.
    private func mayHold(at time: Int64?, flagged: Bool) -> Bool {
        guard gate.isGating, !flagged, let time else { return false }
        return lastActivity.map { time &- $0 >= Self.settleTime } ?? true
    }

    func clearHeld() {
        held = []
        heldKeys = []
        heldBytes = 0
        heldStartsAnalysed = false
    }

    /// Decodes a key frame by itself (the decoder is reset before and after); nil if it does not
    /// decode (the GOP is then judged by the next key frame).
    private func decodeAlone(_ packet: Packet) -> (frame: GrayFrame, time: Int64)? {
        decoder.reset()
        defer { decoder.reset() }
        var decoded: (frame: GrayFrame, time: Int64)?
        let keep: (LumaPlane) -> Void = { plane in
            if decoded == nil, let time = plane.pts { decoded = (self.shrink(plane), time) }
        }
        try? decoder.decode(packet, keep)
        try? decoder.decode(nil, keep)
        return decoded
    }

    /// Decodes packets from a key frame on, analysing only frames after the last analysed one.
    /// A packet the decoder rejects does not stop the rest; the first error is thrown after.
    func replay(_ packets: [Packet]) throws {
        decoder.reset()
        replaying = true
        defer { replaying = false }
        var firstError: (any Error)?
        for packet in packets {
            do {
                try decoder.decode(packet) { analyse($0) }
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }

    private func changed(_ frame: GrayFrame) -> Bool {
        guard let last = reference?.frame else { return false }
        if checkMask?.ignored.count != frame.count {
            let mask = RegionMask(polygons: settings.motion.mask, width: frame.width, height: frame.height)
            checkMask = (mask.ignored, frame.count - mask.ignoredCount)
        }
        let (ignored, unmasked) = checkMask!
        return PictureChange.differs(frame, from: last, ignored: ignored, threshold: motion.lastObservation?.threshold ?? 16,
                                     minChanged: max(3, Int(settings.motion.minArea * Double(unmasked) / 2)))
    }
}
