import Media

/// How `AnalysisPipeline` leaves quiet GOPs undecoded (`DecodeGate` decides from sizes).
///
/// While gating, packets are held from the last checked key frame on. A key frame is decoded
/// alone only every `checkInterval` (key frames cost far more to decode than quiet pictures) and
/// compared with the last picture seen (`reference`). A change (creeping motion, a slow light)
/// has the held GOPs decoded before it; if nothing changed, all but the last GOP are dropped.
/// Sizes that grow have the current GOP decoded at once, after its key frame is checked the same
/// way; the last picture seen, which it matches, is the detectors' lead-in (a gradual transition
/// must be seen steady before it starts). Either way the detectors see every frame that matters,
/// in order, at its own time; after skipped pictures they start afresh.
extension AnalysisPipeline {
    /// Pictures the detectors need before a change (a gradual transition's steady start, motion's
    /// 0.35 s look back): a GOP flagged sooner after its key frame is given one as a lead-in.
    static let leadIn: Int64 = 700_000
    /// Stillness seen by the detectors before GOPs are held again.
    static let settleTime: Int64 = 1_000_000
    /// Longest stretch of producer time left unchecked by a decoded key frame.
    static let checkInterval: Int64 = 10_000_000
    /// Held packets beyond these (a camera with a very long key frame interval) are decoded.
    static let heldLimit = (packets: 900, bytes: 16 << 20)

    func picture(_ packet: Packet, reader: NALUnitReader) throws {
        let looksDifferent = gate.picture(packet.withBytes(reader.summary))
        if gopOpen {
            try decoder.decode(packet) { analyse($0) }
            return
        }
        held.append(packet)
        heldBytes += packet.size
        if coasting { return try coastedPicture(at: packet.pts) }
        if looksDifferent || held.count > Self.heldLimit.packets || heldBytes > Self.heldLimit.bytes {
            try openCurrentGOP(at: packet.pts)
        }
    }

    /// Settles the GOP that ends here and starts the next one, open or held.
    func keyFrame(_ packet: Packet, reader: NALUnitReader) throws {
        if sawKeyFrame { gate.endGOP(busy: gopBusy) }
        sawKeyFrame = true
        gate.keyFrame(sliceBytes: packet.withBytes(reader.summary).sliceBytes)
        gopBusy = false
        if !gopOpen {
            try coasting ? keyFrameWhileCoasting(packet) : keyFrameWhileHolding(packet)
        } else if mayCoast(at: packet.pts) {
            startCoasting(packet)
        } else if !mayHold(at: packet.pts) {
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
        skip(before: last)
        if last > 0 { heldStartsAnalysed = false }
        held = Array(held[last...]) + [packet]
        heldKeys = [0, held.count - 1]
        heldBytes = held.reduce(0) { $0 + $1.size }
        if !mayHold(at: packet.pts) {
            gopOpen = true
            try replay(held)
            clearHeld()
        }
    }

    /// The current GOP looks different: decode it from its key frame once that key frame matches
    /// the last picture seen. When the change shows within `leadIn` of the key frame, the
    /// detectors need pictures from before it (a gradual transition must be seen steady before it
    /// starts): the matching last picture stands in for them. A key frame that does not match
    /// means the change began earlier: decoding starts at the key frame before it, if that one
    /// matches, or at the start of everything held.
    private func openCurrentGOP(at time: Int64?) throws {
        gopOpen = true
        defer { clearHeld() }
        guard let last = heldKeys.last, last > 0 else { return try replay(held) }
        guard let key = decodeAlone(held[last]) else { return try replay(held) }
        let keyTime = held[last].pts
        let early = keyTime.flatMap { keyTime in time.map { $0 &- keyTime < Self.leadIn } } ?? false
        if !changed(key.frame) {
            skip(before: last)
            if early, let keyTime { leadIn(before: keyTime) }
            return try replay(Array(held[last...]))
        }
        // The change began before this key frame. Sizes that show it soon after are late, not
        // wrong; otherwise they missed it.
        let from = heldKeys.count >= 3 ? heldKeys[heldKeys.count - 2] : 0
        if from > 0, let earlier = decodeAlone(held[from]), !changed(earlier.frame) {
            if !early { gate.missed() }
            skip(before: from)
            return try replay(Array(held[from...]))
        }
        gate.missed()
        try replay(held)
    }

    /// The held pictures before `index` are left undecoded.
    func skip(before index: Int) {
        picturesSkipped += index - (heldStartsAnalysed && index > 0 ? 1 : 0)
    }

    /// The detectors start afresh at the key frame at `keyTime`, which matches `reference`: the
    /// picture held still up to it, so `reference` is shown to them shortly before it.
    private func leadIn(before keyTime: Int64) {
        guard let reference else { return }
        let time = max(reference.time, keyTime &- Self.leadIn)
        guard time < keyTime, lastAnalysed.map({ time > $0.time }) ?? true else { return }
        analyse(reference.frame, at: time, decoded: false)
    }

    /// GOPs are held again once the gate trusts the sizes and the detectors have seen nothing
    /// for `settleTime`. The GOP that ended was decoded, so its sizes no longer matter (they stay
    /// high a while after a visit, as the encoder re-codes what the visitor uncovered): the next
    /// GOP's own sizes decide. A motion event may still be open: it ends, at its last frame with
    /// motion, when a later frame is analysed or a checked key frame shows nothing changed.
    private func mayHold(at time: Int64?) -> Bool {
        guard gate.isGating, let time else { return false }
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
    func decodeAlone(_ packet: Packet) -> (frame: GrayFrame, time: Int64)? {
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

    func changed(_ frame: GrayFrame) -> Bool {
        guard let last = reference?.frame else { return false }
        let (ignored, unmasked) = checkMask(for: frame)
        return PictureChange.differs(frame, from: last, ignored: ignored, threshold: checkThreshold,
                                     minChanged: max(3, Int(settings.motion.minArea * Double(unmasked) / 2)))
    }

    /// The motion detector's current threshold (it follows the noise).
    var checkThreshold: Double { motion.lastObservation?.threshold ?? 16 }

    /// The motion mask at `frame`'s size, rasterised once per size.
    func checkMask(for frame: GrayFrame) -> (ignored: [Bool], unmasked: Int) {
        if checkMask?.ignored.count != frame.count {
            let mask = RegionMask(polygons: settings.motion.mask, width: frame.width, height: frame.height)
            checkMask = (mask.ignored, frame.count - mask.ignoredCount)
        }
        return checkMask!
    }
}
