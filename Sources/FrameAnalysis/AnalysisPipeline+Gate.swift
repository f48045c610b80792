import Media

/// How `AnalysisPipeline` leaves quiet GOPs undecoded (`DecodeGate` decides from sizes).
///
/// While gating, packets are held from the last analysed key frame on. A key frame is decoded
/// alone only every `checkInterval` (key frames cost far more to decode than quiet pictures);
/// it is compared with the last analysed picture. A change (creeping motion, a slow light) has
/// the held GOPs decoded before it; sizes that grow have the current GOP decoded at once, after
/// its key frame is checked the same way. Either way the detectors see every frame of a GOP that
/// matters, in order, at its own time.
extension AnalysisPipeline {
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
            try openCurrentGOP()
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
            // From decoding everything to holding: the open GOP's last frames, then this key frame alone.
            try? decoder.decode(nil) { analyse($0) }
            if let key = decodeAlone(packet) { analyse(key.frame, at: key.time) }
            hold(from: packet)
        }
    }

    private func keyFrameWhileHolding(_ packet: Packet) throws {
        let due = lastAnalysed.map { (packet.pts ?? .max) &- $0.time >= Self.checkInterval } ?? true
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
        picturesSkipped += held.count - 1
        if let key { analyse(key.frame, at: key.time) }
        if mayHold(at: packet.pts, flagged: false) {
            hold(from: packet)
        } else {
            clearHeld()
            gopOpen = true
            // Decoded alone and analysed already: decoded again as the reference for what follows.
            try replay([packet])
        }
    }

    /// The current GOP looks different: decode it from its key frame — or everything held, if
    /// that key frame shows a change the sizes of the GOPs before it did not.
    private func openCurrentGOP() throws {
        gopOpen = true
        defer { clearHeld() }
        guard let start = heldKeys.last, start > 0 else { return try replay(held) }
        let key = decodeAlone(held[start])
        if let key, changed(key.frame) {
            gate.missed()
            return try replay(held)
        }
        picturesSkipped += start - 1
        if let key { analyse(key.frame, at: key.time) }
        try replay(Array(held[start...]))
    }

    /// GOPs are held again once the gate trusts the sizes, the GOP that ended showed no larger
    /// pictures and the detectors have seen nothing for `settleTime`. A motion event may still be
    /// open: it ends, at its last frame with motion, when a later frame is analysed.
    private func mayHold(at time: Int64?, flagged: Bool) -> Bool {
        guard gate.isGating, !flagged, let time else { return false }
        return lastActivity.map { time &- $0 >= Self.settleTime } ?? true
    }

    private func hold(from key: Packet) {
        held = [key]
        heldKeys = [0]
        heldBytes = key.size
        gopOpen = false
    }

    func clearHeld() {
        held = []
        heldKeys = []
        heldBytes = 0
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
    func replay(_ packets: [Packet]) throws {
        decoder.reset()
        replaying = true
        defer { replaying = false }
        for packet in packets { try decoder.decode(packet) { analyse($0) } }
    }

    private func changed(_ frame: GrayFrame) -> Bool {
        guard let last = lastAnalysed?.frame else { return false }
        if ignored?.count != frame.count {
            ignored = RegionMask(polygons: settings.motion.mask, width: frame.width, height: frame.height).ignored
        }
        let unmasked = ignored!.count - ignored!.filter { $0 }.count
        return PictureChange.differs(frame, from: last, ignored: ignored!, threshold: motion.lastObservation?.threshold ?? 16,
                                     minChanged: max(3, Int(settings.motion.minArea * Double(unmasked) / 2)))
    }
}
