import Foundation
import Fragments
import Logging
import Media
import VideoIngest

/// Analyses one ingest session's video on its own thread: decode (single-threaded), shrink the
/// luma plane, run the detectors, and publish events once their fragment is stored.
/// Ingest only enqueues; when the analyser falls behind it decodes less, never more memory.
public final class StreamAnalyzer: IngestTap, @unchecked Sendable {
    public let streamName: String
    let settings: AnalysisSettings
    private let parameters: CodecParameters
    private let sink: any AnalysisEventSink
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let queue: AnalysisQueue
    private let statusLock = NSLock()
    private var _status = AnalysisStatus()
    // Ingest-thread state.
    private var droppingUntilKey = false
    private var thread: Thread?

    public init(streamName: String, parameters: CodecParameters, settings: AnalysisSettings, sink: any AnalysisEventSink,
                logger: Logger, queueCapacity: Int = 256, clock: @escaping @Sendable () -> Int64) {
        self.streamName = streamName
        self.parameters = parameters
        self.settings = settings
        self.sink = sink
        self.logger = logger
        self.clock = clock
        queue = AnalysisQueue(capacity: queueCapacity)
        let thread = Thread { [self] in run() }
        thread.name = "analysis-\(streamName)"
        self.thread = thread
        thread.start()
    }

    public var status: AnalysisStatus {
        var status = statusLock.withLock { _status }
        status.queuedPackets = queue.depth
        return status
    }

    private func update(_ change: (inout AnalysisStatus) -> Void) {
        statusLock.withLock { change(&_status) }
    }

    // MARK: IngestTap (ingest thread; never blocks)

    public func video(_ packet: Packet, serverTime: Int64) {
        if droppingUntilKey && !packet.isKeyFrame {
            update { $0.packetsDropped += 1 }
            return
        }
        let wasDropping = droppingUntilKey
        if queue.offer(packet, serverTime: serverTime, afterGap: wasDropping) {
            droppingUntilKey = false
        } else {
            droppingUntilKey = true
            update { $0.packetsDropped += 1 }
        }
    }

    public func fragmentStored(_ fragment: FragmentRecord) {
        queue.control(.fragment(fragment))
    }

    public func sessionEnded() {
        queue.control(.end)
    }

    // MARK: Analysis thread

    private final class Work {
        var decoder: VideoDecoder?
        var scaler: LumaDownscaler?
        var motion: MotionDetector
        var scene: SceneDetector
        var resolver = FragmentResolver()
        /// (pts, server time) of recent packets: the decoder reorders, frames find theirs here.
        var arrivals: [(pts: Int64, server: Int64)] = []
        var nextMotionTime = Int64.min
        var mode = AnalysisStatus.Mode.full

        init(settings: AnalysisSettings) {
            motion = MotionDetector(configuration: settings.motion)
            scene = SceneDetector(configuration: settings.scene)
        }

        func serverTime(of pts: Int64) -> Int64? {
            arrivals.last { $0.pts == pts }?.server
        }
    }

    private func run() {
        let work = Work(settings: settings)
        do {
            work.decoder = try VideoDecoder(parameters: parameters, skipLoopFilter: settings.skipLoopFilter)
        } catch {
            logger.warning("analysis cannot decode this stream", metadata: ["stream": "\(streamName)", "error": "\(error)"])
            update { $0.lastError = "cannot open a decoder: \(error)" }
        }
        loop: while true {
            switch queue.take() {
            case let .packet(packet, serverTime, afterGap):
                guard let decoder = work.decoder else { continue }
                if afterGap {
                    work.scene.reset()
                }
                adjustSkipping(work, decoder: decoder, isKeyFrame: packet.isKeyFrame)
                if let pts = packet.pts {
                    work.arrivals.append((pts, serverTime))
                    if work.arrivals.count > 64 { work.arrivals.removeFirst(work.arrivals.count - 64) }
                }
                do {
                    try decoder.decode(packet) { plane in analyse(plane, work) }
                } catch {
                    update { $0.decodeErrors += 1; $0.lastError = "\(error)" }
                }
            case let .fragment(record):
                publish(work.resolver.stored(record))
            case .end:
                if let decoder = work.decoder {
                    try? decoder.decode(nil) { plane in analyse(plane, work) }
                    decoder.close()
                }
                if case let .ended(interval)? = work.motion.finish() {
                    emit(motionEnd(interval), work)
                }
                publish(work.resolver.flush())
                break loop
            }
        }
        update { $0.running = false }
    }

    /// Decode less as the queue fills (hysteresis so the mode does not flap): non-reference
    /// frames go first, then everything but key frames.
    private func adjustSkipping(_ work: Work, decoder: VideoDecoder, isKeyFrame: Bool) {
        let fill = queue.fill
        var mode = work.mode
        if fill >= 0.85 { mode = .keyFramesOnly }
        else if fill >= 0.5 && mode == .full { mode = .skipNonReference }
        else if fill < 0.25 { mode = .full }
        if mode != work.mode {
            work.mode = mode
            decoder.skipping = mode == .full ? .none : (mode == .skipNonReference ? .nonReference : .nonKey)
            // Cut detection compares neighbouring frames; with frames missing it would see cuts everywhere.
            work.scene.reset()
            update { $0.mode = mode }
        }
        if mode != .full && !isKeyFrame { update { $0.packetsDecodedReduced += 1 } }
    }

    private func analyse(_ plane: LumaPlane, _ work: Work) {
        guard let time = plane.pts else { return }
        if work.scaler == nil {
            let size = LumaDownscaler.size(forSourceWidth: plane.width, height: plane.height, analysisWidth: settings.width)
            work.scaler = LumaDownscaler(width: size.width, height: size.height)
        }
        let frame = work.scaler!.scale(plane)
        let server = work.serverTime(of: time) ?? clock()
        update {
            $0.framesDecoded += 1
            $0.lagSeconds = Double(clock() - server) / 1_000_000
        }
        if settings.detectors.contains(.scene) && work.mode == .full, let cut = work.scene.observe(frame, at: time) {
            emit(AnalysisEvent(kind: .sceneChange, streamName: streamName, producerTime: cut.time,
                               serverTime: work.serverTime(of: cut.time) ?? server,
                               sceneScore: cut.score, contentDelta: cut.contentDelta), work)
        }
        guard settings.detectors.contains(.motion), time >= work.nextMotionTime else { return }
        work.nextMotionTime = time + Int64(900_000 / settings.frameRate)
        update { $0.framesAnalysed += 1 }
        switch work.motion.observe(frame, at: time) {
        case let .started(at, area, box)?:
            emit(AnalysisEvent(kind: .motionStart, streamName: streamName, producerTime: at,
                               serverTime: work.serverTime(of: at) ?? server,
                               motion: .init(duration: nil, peakArea: area, box: box)), work)
        case let .ended(interval)?:
            emit(motionEnd(interval, server: work.serverTime(of: interval.end)), work)
        case nil:
            break
        }
    }

    private func motionEnd(_ interval: MotionDetector.Interval, server: Int64? = nil) -> AnalysisEvent {
        AnalysisEvent(kind: .motionEnd, streamName: streamName, producerTime: interval.end, serverTime: server ?? clock(),
                      motion: .init(duration: Double(interval.end - interval.start) / 1_000_000,
                                    peakArea: interval.peakArea, box: interval.box),
                      motionStart: interval.start)
    }

    private func emit(_ event: AnalysisEvent, _ work: Work) {
        publish(work.resolver.add(event))
    }

    private func publish(_ events: [AnalysisEvent]) {
        for event in events {
            do {
                try sink.publish(event, settings: settings)
                update { $0.eventsPublished += 1 }
            } catch {
                logger.warning("cannot publish an analysis event", metadata: ["stream": "\(streamName)", "error": "\(error)"])
                update { $0.publishErrors += 1; $0.lastError = "publish: \(error)" }
            }
        }
    }
}
