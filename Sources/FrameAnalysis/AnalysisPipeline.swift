import Media

/// Decode → shrink → detect for one stream, synchronously: packets in (pts/dts in µs), events
/// out (without fragment numbers). The live analyser runs it on its thread; `videod analyse`
/// runs it over a file.
///
/// A `DecodeGate` leaves quiet GOPs undecoded (see `AnalysisPipeline+Gate`): their packets are
/// held until a key frame or their sizes settle them, so a GOP that matters is still decoded
/// from its key frame and every event keeps its frame-exact time.
public final class AnalysisPipeline {
    public let streamName: String
    public let settings: AnalysisSettings
    let decoder: VideoDecoder
    private var scaler: LumaDownscaler?
    var motion: MotionDetector
    private var scene: SceneDetector
    /// (pts, server time) of recent packets: the decoder reorders, and held GOPs are decoded
    /// late, so frames find theirs here. As many as may be held, and then some.
    private var arrivals: [(pts: Int64, server: Int64)] = []
    static let arrivalsKept = heldLimit.packets + 64
    private var nextMotionTime = Int64.min
    public private(set) var mode = AnalysisStatus.Mode.full
    public private(set) var framesDecoded = 0
    public private(set) var framesAnalysed = 0
    /// Pictures the gate left undecoded.
    public internal(set) var picturesSkipped = 0 {
        didSet { if picturesSkipped > oldValue { skippedBeforeNext = true } }
    }
    /// Pictures were skipped since the last analysed frame.
    private var skippedBeforeNext = false
    let reader: NALUnitReader?
    var gate = DecodeGate()
    /// While GOPs are left undecoded: every packet since the last analysed key frame (first),
    /// and where the key frames are among them.
    var held: [Packet] = []
    var heldKeys: [Int] = []
    var heldBytes = 0
    /// `held[0]` is a key frame the detectors saw (when holding began after decoding everything).
    var heldStartsAnalysed = false
    /// The latest picture seen — analysed, or a key frame checked alone — that key frames are
    /// compared with.
    var reference: (time: Int64, frame: GrayFrame)?
    /// Every packet of the current GOP goes to the decoder.
    var gopOpen = true
    /// The held GOP is in the middle of a visit (`AnalysisPipeline+Coast`); its sizes were small
    /// long enough to decode it; since when they are small.
    var coasting = false
    var coastSawQuiet = false
    var quietSince: Int64?
    /// The next analysed frame is the key frame after a coasted GOP.
    var coastedBeforeNext = false
    /// The detectors saw something in the current GOP (its sizes are not learned as quiet).
    var gopBusy = false
    /// Time of the last analysed frame in which the detectors saw anything.
    var lastActivity: Int64?
    var sawKeyFrame = false
    /// Frames at or before the last analysed one are not analysed again while a GOP is replayed.
    var replaying = false
    var lastAnalysed: (time: Int64, frame: GrayFrame)?
    /// The motion mask at the analysis size and its unmasked pixel count, for key-frame checks.
    var checkMask: (ignored: [Bool], unmasked: Int)?
    /// Server time of the latest decoded frame's packet.
    public private(set) var lastServerTime: Int64?
    var events: [AnalysisEvent] = []

    public init(streamName: String, parameters: CodecParameters, settings: AnalysisSettings) throws {
        self.streamName = streamName
        self.settings = settings
        decoder = try VideoDecoder(parameters: parameters, skipLoopFilter: settings.skipLoopFilter)
        reader = settings.decodeGate ? parameters.videoCodec.map { NALUnitReader(codec: $0, extradata: parameters.extradata) } : nil
        motion = MotionDetector(configuration: settings.motion)
        scene = SceneDetector(configuration: settings.scene)
    }

    /// Decodes less (or everything again). Cut detection compares neighbouring frames; with
    /// frames missing it would see cuts everywhere, so it restarts.
    public func setMode(_ mode: AnalysisStatus.Mode) {
        guard mode != self.mode else { return }
        self.mode = mode
        decoder.skipping = mode == .full ? .none : (mode == .skipNonReference ? .nonReference : .nonKey)
        scene.reset()
    }

    /// Packets before this one were dropped: the next frames do not follow the previous ones.
    public func gap() {
        scene.reset()
        clearHeld()
        gopOpen = true
        coasting = false
        lastAnalysed = nil
        reference = nil
    }

    /// The share of the stream's pictures decoded and analysed so far.
    public var decodedShare: Double {
        let total = framesDecoded + picturesSkipped
        return total == 0 ? 1 : Double(framesDecoded) / Double(total)
    }

    /// Changes a key frame showed that the coded sizes had not (the GOP before it was decoded then).
    public var gateMisses: Int { gate.missedChanges }

    /// What the gate does for this stream, and why when it decodes everything.
    public var gateState: (state: String, reason: String?) {
        guard reader != nil else { return ("off", settings.decodeGate ? "only H.264 and H.265 are gated" : nil) }
        return (gate.state.rawValue, gate.reason)
    }

    /// Feeds one packet; returns the events its frames completed. Throws for undecodable data
    /// (the pipeline stays usable).
    public func process(_ packet: Packet, serverTime: Int64) throws -> [AnalysisEvent] {
        if let pts = packet.pts {
            arrivals.append((pts, serverTime))
            // Trimmed in steps, so that keeping many costs no copy per packet.
            if arrivals.count > 2 * Self.arrivalsKept { arrivals.removeFirst(arrivals.count - Self.arrivalsKept) }
        }
        guard let reader else {
            try decoder.decode(packet) { analyse($0) }
            return take()
        }
        if packet.isKeyFrame {
            try keyFrame(packet, reader: reader)
        } else {
            try picture(packet, reader: reader)
        }
        return take()
    }

    /// Drains the decoder and ends an open motion event.
    public func finish(now: Int64) -> [AnalysisEvent] {
        // A GOP still held has no key frame after it to judge it: it is decoded.
        if !gopOpen && held.count > 1 { try? replay(held) }
        try? decoder.decode(nil) { analyse($0) }
        if case let .ended(interval)? = motion.finish() {
            events.append(motionEnd(interval, server: now))
        }
        decoder.close()
        return take()
    }

    private func take() -> [AnalysisEvent] {
        defer { events = [] }
        return events
    }

    func serverTime(of pts: Int64) -> Int64? {
        arrivals.last { $0.pts == pts }?.server
    }

    func shrink(_ plane: LumaPlane) -> GrayFrame {
        if scaler == nil {
            let size = LumaDownscaler.size(forSourceWidth: plane.width, height: plane.height, analysisWidth: settings.width)
            scaler = LumaDownscaler(width: size.width, height: size.height)
        }
        return scaler!.scale(plane)
    }

    func analyse(_ plane: LumaPlane) {
        guard let time = plane.pts else { return }
        // A key frame decoded alone and analysed comes out again when decoded as a reference.
        if let last = lastAnalysed, time == last.time || (replaying && time < last.time) { return }
        analyse(shrink(plane), at: time)
    }

    /// `decoded` is false for a picture shown again as a lead-in (see `AnalysisPipeline+Gate`).
    func analyse(_ frame: GrayFrame, at time: Int64, decoded: Bool = true) {
        lastAnalysed = (time, frame)
        reference = (time, frame)
        defer { coastedBeforeNext = false }
        if skippedBeforeNext {
            // Pictures were skipped as still (decoding resumes at, or a GOP before, a key frame
            // that matched the last picture seen): an open event ends if its gap ran out in them;
            // motion keeps its background (what changed but does not move is no motion), cut
            // detection starts afresh. After a coasted GOP (a visitor moving) the background
            // catches up with the time passed.
            skippedBeforeNext = false
            if case let .ended(interval)? = motion.settle(before: time) {
                events.append(motionEnd(interval, server: serverTime(of: interval.end) ?? lastServerTime ?? 0))
            }
            motion.resume(keepingClock: coastedBeforeNext)
            scene.reset()
        }
        let server = serverTime(of: time) ?? lastServerTime ?? 0
        lastServerTime = server
        if decoded { framesDecoded += 1 }
        if settings.detectors.contains(.scene) && mode == .full, let cut = scene.observe(frame, at: time) {
            gopBusy = true
            lastActivity = time
            events.append(AnalysisEvent(kind: .sceneChange, streamName: streamName, producerTime: cut.time,
                                        serverTime: serverTime(of: cut.time) ?? server,
                                        sceneScore: cut.score, contentDelta: cut.contentDelta,
                                        sceneTransition: cut.transition, transitionEnd: cut.end))
        }
        // A lead-in picture is for cut detection; motion has its background.
        guard decoded, settings.detectors.contains(.motion), time >= nextMotionTime else { return }
        // 0.9 of the interval: frames a little early still count, so 10 fps of a 30 fps source is every third frame.
        nextMotionTime = time &+ Int64(900_000 / settings.frameRate)
        framesAnalysed += 1
        defer {
            if motion.isActive { gopBusy = true }
            if (motion.lastObservation?.area ?? 0) > 0 {
                gopBusy = true
                lastActivity = time
            }
        }
        switch motion.observe(frame, at: time) {
        case let .started(at, area, box)?:
            events.append(AnalysisEvent(kind: .motionStart, streamName: streamName, producerTime: at,
                                        serverTime: serverTime(of: at) ?? server,
                                        motion: .init(duration: nil, peakArea: area, box: box)))
        case let .ended(interval)?:
            events.append(motionEnd(interval, server: serverTime(of: interval.end) ?? server))
        case nil:
            break
        }
    }

    func motionEnd(_ interval: MotionDetector.Interval, server: Int64) -> AnalysisEvent {
        AnalysisEvent(kind: .motionEnd, streamName: streamName, producerTime: interval.end, serverTime: server,
                      motion: .init(duration: Double(interval.end &- interval.start) / 1_000_000,
                                    peakArea: interval.peakArea, box: interval.box),
                      motionStart: interval.start)
    }
}
