import Foundation
import Fragments
import Logging
import Media
import Primitives

/// One push into one stream. The front end writes received bytes into `input`; `run()` demuxes
/// and fragments them on a dedicated thread (libav blocks) and returns how the session ended.
public final class IngestSession: @unchecked Sendable {
    public let input: ByteQueue
    public let streamName: String
    public let request: IngestRequest
    public let arrival: Int64
    private let service: IngestService
    let meter: SourceMeter
    private let producerLock = NSLock()
    private var lateProducerStart: Int64?
    /// An RTSP push's frames, which bypass `input`.
    private var accessUnits: BoundedQueue<TimedAccessUnit>?
    /// A pull's libav reads, which bypass `input`.
    private var pullInterrupt: InterruptFlag?
    private var stopRequested = false

    init(service: IngestService, request: IngestRequest, arrival: Int64) {
        self.service = service
        streamName = request.streamName
        self.request = request
        self.arrival = arrival
        input = ByteQueue(capacity: service.configuration.bufferBytes)
        meter = SourceMeter(start: arrival, producerClock: request.producerStart == nil ? "arrival" : "producer-header")
    }

    /// Front ends that learn the producer time of the first frame after the session began (RTCP
    /// sender reports) set it here; it is used if it arrives before the first fragment is cut.
    public func setProducerStart(_ time: Int64, clock: String) {
        producerLock.withLock { lateProducerStart = time }
        meter.setProducerClock(clock)
    }

    /// Packets the front end lost or discarded so far (RTSP).
    public func reportLost(_ count: Int) {
        meter.setLost(count)
    }

    /// Ends the session at its next fragment boundary (shutdown): the fragment being filled is
    /// stored whole and nothing after the boundary is read.
    func stopAtNextFragment() {
        producerLock.withLock { stopRequested = true }
    }

    private var isStopRequested: Bool { producerLock.withLock { stopRequested } }

    /// Ends the session at once: input ends where it is, and the open fragment is stored as it is.
    func endNow() {
        let (units, interrupt) = producerLock.withLock { (accessUnits, pullInterrupt) }
        input.cancel()
        units?.cancel()
        interrupt?.raise()
    }

    /// Media bytes taken in so far (from `input`, or as RTP access units).
    private var bytesTaken: Int64 {
        input.bytesConsumed + (producerLock.withLock { accessUnits }?.costConsumed ?? 0)
    }

    func sourceStatus(now: Int64) -> IngestSourceStatus {
        let bytes = bytesTaken
        let live = meter.status(now: now, bytes: bytes, started: arrival)
        return IngestSourceStatus(protocol: request.source, remoteAddress: request.remoteAddress, url: request.url,
                                  startedAt: Timestamp.rfc3339(arrival),
                                  bytesReceived: bytes, bitrate: live.bitrate, packetsLost: live.lost, producerClock: live.clock)
    }

    public func run() async -> IngestOutcome {
        await runOnThread { try self.openPushed() }
    }

    /// Runs an RTSP push: packets come depacketized from `source`, not demuxed from `input`.
    func run(rtp source: RTPPacketSource) async -> IngestOutcome {
        producerLock.withLock { accessUnits = source.queue }
        return await runOnThread {
            do {
                try source.open()
            } catch {
                source.close() // frees a connection waiting to queue more
                throw error
            }
            return (source, source.formatName)
        }
    }

    /// Pulls from a URL libavformat reads itself (an RTSP camera over TCP) instead of `input`.
    /// `afterGap`: the first fragment is marked as a discontinuity (a reconnect).
    public func runPull(url: String, interrupt: InterruptFlag, afterGap: Bool) async -> IngestOutcome {
        self.afterGap = afterGap
        producerLock.withLock { pullInterrupt = interrupt }
        return await runOnThread {
            do {
                let demuxer = try Demuxer(url: url, options: ["rtsp_transport": "tcp", "timeout": "5000000"], interrupt: interrupt)
                return (demuxer, "rtsp")
            } catch {
                // libav's message never carries the URL (it may hold credentials).
                throw IngestError.malformedMedia("cannot read the camera: \(error)")
            }
        }
    }

    private var afterGap = false

    private func runOnThread(_ open: @escaping @Sendable () throws -> (any PacketSource, String)) async -> IngestOutcome {
        await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                let outcome = self.runBlocking(open)
                self.input.cancel()
                self.service.end(self)
                continuation.resume(returning: outcome)
            }
            thread.name = "ingest-\(streamName)"
            thread.start()
        }
    }

    private func openPushed() throws -> (any PacketSource, String) {
        let format = try detectFormat()
        do {
            if format == .mp4 {
                return (try ChainedMP4Demuxer(source: input, moofsPerLeg: service.configuration.moofsPerDemuxer), format.rawValue)
            }
            return (try Demuxer(source: input, formatName: format.demuxerName), format.rawValue)
        } catch {
            throw IngestError.unsupportedContainer("cannot read the body as \(format.rawValue): \(error)")
        }
    }

    private func runBlocking(_ open: () throws -> (any PacketSource, String)) -> IngestOutcome {
        var summary = IngestSummary(stream: streamName)
        var writer: FragmentWriter?
        do {
            let (source, container) = try open()
            summary.container = container
            defer { source.close() }
            let selection = try TrackSelection(streams: source.streams)
            summary.tracks = selection.descriptions
            writer = try FragmentWriter(
                store: service.store, streamName: streamName, selection: selection, source: source,
                configuration: service.configuration, timeline: try producerTimeline(source),
                summary: summary, observers: service.observers + request.observers,
                producerFragments: request.producerFragments, clock: service.clock,
                stopAtBoundary: { [self] in isStopRequested })
            if afterGap { writer!.markDiscontinuity() }
            do {
                try pump(source, into: writer!)
                try writer!.finish()
                summary = writer!.summary
            } catch is FragmentWriter.StoppedAtBoundary {
                try writer!.finish(storingOpenFragment: false)
                summary = writer!.summary
                summary.endedForShutdown = true
            }
            summary.bytesReceived = bytesTaken
            service.logger.info("ingest ended", metadata: ["stream": "\(streamName)", "fragments": "\(summary.fragments)"])
            return IngestOutcome(summary: summary, error: nil)
        } catch {
            // Keep what was complete before the fault: the open fragment holds whole packets.
            if let writer {
                try? writer.finish()
                summary = writer.summary
            }
            summary.bytesReceived = bytesTaken
            let ingestError = (error as? IngestError) ?? IngestError.malformedMedia("\(error)")
            service.logger.warning("ingest failed", metadata: ["stream": "\(streamName)", "error": "\(ingestError)"])
            return IngestOutcome(summary: summary, error: ingestError)
        }
    }

    /// Where the session sits on the producer clock: the device's word when it gave one (a push's
    /// header, an RTSP push's or a pulled camera's RTCP sender reports — the latter read by
    /// libavformat); else arrival time, moved past the stream's last fragment if a faster-than-
    /// real-time push before this one already reached further, so that a stream's producer
    /// timeline never overlaps itself.
    private func producerTimeline(_ source: any PacketSource) throws -> ProducerTimeline {
        if let zero = request.producerZero { return .streamZeroAt(zero) }
        if let declared = request.producerStart { return .firstPacketAt(declared) }
        if let late = producerLock.withLock({ lateProducerStart }) { return .firstPacketAt(late) }
        if let zero = source.producerClockAtZero {
            meter.setProducerClock("rtcp-sender-report")
            return .streamZeroAt(zero)
        }
        do {
            let end = try service.store.producerEnd(streamNamed: streamName) ?? arrival
            return .firstPacketAt(max(arrival, end))
        } catch {
            throw IngestError.storage("\(error)")
        }
    }

    private func detectFormat() throws -> ContainerFormat {
        let head = input.peek(ContainerFormat.sniffLength)
        if head.isEmpty { throw IngestError.malformedMedia("the request body is empty") }
        if let declared = ContainerFormat(contentType: request.contentType) { return declared }
        guard let sniffed = ContainerFormat.sniff(head) else {
            throw IngestError.unsupportedContainer("the body is not fragmented MP4, MPEG-TS or Matroska")
        }
        return sniffed
    }

    private func pump(_ source: any PacketSource, into writer: FragmentWriter) throws {
        while true {
            let packet: Packet?
            do {
                packet = try source.readPacket()
            } catch {
                throw IngestError.malformedMedia("the \(source.formatName) input is cut off or corrupt: \(error)")
            }
            guard let packet else { return }
            if packet.isCorrupt {
                throw IngestError.malformedMedia("the \(source.formatName) input is cut off or corrupt")
            }
            try writer.write(packet)
        }
    }
}
