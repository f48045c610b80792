import Foundation
import Fragments
import Logging
import Media
import VideoIngest

/// Analyses one ingest session's video on its own thread (an `AnalysisPipeline`) and publishes
/// its events once their fragment is stored.
/// Ingest only enqueues; when the analyser falls behind it decodes less, never more memory.
public final class StreamAnalyzer: IngestTap, @unchecked Sendable {
    public let streamName: String
    let settings: AnalysisSettings
    private let parameters: CodecParameters
    private let sink: any AnalysisEventLog
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let queue: AnalysisQueue
    private let statusLock = NSLock()
    private var _status = AnalysisStatus()
    // Ingest-thread state.
    private var droppingUntilKey = false
    private var thread: Thread?

    public init(streamName: String, parameters: CodecParameters, settings: AnalysisSettings, sink: any AnalysisEventLog,
                logger: Logger, queueCapacity: Int = 4096, queueBytes: Int = 16 << 20, clock: @escaping @Sendable () -> Int64) {
        self.streamName = streamName
        self.parameters = parameters
        self.settings = settings
        self.sink = sink
        self.logger = logger
        self.clock = clock
        queue = AnalysisQueue(capacity: queueCapacity, capacityBytes: queueBytes)
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

    private func run() {
        var pipeline: AnalysisPipeline?
        do {
            pipeline = try AnalysisPipeline(streamName: streamName, parameters: parameters, settings: settings)
        } catch {
            logger.warning("analysis cannot decode this stream", metadata: ["stream": "\(streamName)", "error": "\(error)"])
            update { $0.lastError = "cannot open a decoder: \(error)" }
        }
        var resolver = FragmentResolver()
        loop: while true {
            switch queue.take() {
            case let .packet(packet, serverTime, afterGap):
                guard let pipeline else { continue }
                if afterGap { pipeline.gap() }
                adjustMode(pipeline, isKeyFrame: packet.isKeyFrame)
                do {
                    let events = try pipeline.process(packet, serverTime: serverTime)
                    for event in events { publish(resolver.add(event)) }
                } catch {
                    update { $0.decodeErrors += 1; $0.lastError = "\(error)" }
                }
                let now = clock()
                update {
                    $0.framesDecoded = pipeline.framesDecoded
                    $0.framesAnalysed = pipeline.framesAnalysed
                    $0.picturesSkipped = pipeline.picturesSkipped
                    $0.decodedShare = pipeline.decodedShare
                    (state: $0.decodeGate, reason: $0.decodeGateReason) = pipeline.gateState
                    // The packet's own arrival, not the last decoded frame's: with the decode gate
                    // quiet GOPs decode nothing, and that is not falling behind.
                    $0.lagSeconds = Double(now - serverTime) / 1_000_000
                }
            case let .fragment(record):
                publish(resolver.stored(record))
            case .end:
                for event in pipeline?.finish(now: clock()) ?? [] { publish(resolver.add(event)) }
                publish(resolver.flush())
                break loop
            }
        }
        update { $0.running = false }
    }

    /// Decode less as the queue fills: non-reference frames go first, then all but key frames.
    private func adjustMode(_ pipeline: AnalysisPipeline, isKeyFrame: Bool) {
        let mode = LoadShedding.mode(current: pipeline.mode, fill: queue.fill)
        if mode != pipeline.mode {
            pipeline.setMode(mode)
            update { $0.mode = mode }
        }
        if mode != .full && !isKeyFrame { update { $0.packetsDecodedReduced += 1 } }
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
