import Fragments
import Media

/// Turns one session's packets into stored fragments: the Fragmenter decides where
/// fragments begin and end, the muxer packs them as fMP4, the store persists them.
final class FragmentWriter {
    private let store: FragmentStore
    private let streamName: String
    private var streamID: Int64?
    private let selection: TrackSelection
    private let muxer: FragmentedMP4Muxer
    private var fragmenter: Fragmenter
    private let timeline: ProducerTimeline
    private let clock: @Sendable () -> Int64
    private var initID: Int64?
    private var timescales: [UInt32: UInt32] = [:]
    private var openServerStart: Int64 = 0
    /// Bytes of the packets in the open fragment, against `maxFragmentBytes`.
    private var openBytes = 0
    private let maxFragmentBytes: Int
    /// The observers' views of this session (frame analysis, …).
    private let taps: [any IngestTap]
    private let producerFragments: ProducerFragmentBoundaries?
    /// Asked each time a fragment is stored: true ends the session there (shutdown).
    private let stopAtBoundary: () -> Bool
    private(set) var summary: IngestSummary

    /// Thrown by `write` once a fragment is stored and `stopAtBoundary` says to stop.
    struct StoppedAtBoundary: Error {}

    init(store: FragmentStore, streamName: String, selection: TrackSelection, source: any PacketSource,
         configuration: IngestConfiguration, timeline: ProducerTimeline, summary: IngestSummary,
         observers: [any IngestObserver], producerFragments: ProducerFragmentBoundaries? = nil,
         clock: @escaping @Sendable () -> Int64, stopAtBoundary: @escaping () -> Bool = { false }) throws {
        self.producerFragments = producerFragments
        self.stopAtBoundary = stopAtBoundary
        self.store = store
        self.streamName = streamName
        self.selection = selection
        self.timeline = timeline
        self.clock = clock
        self.summary = summary
        fragmenter = Fragmenter(configuration: configuration.fragmenter, hasVideo: true)
        maxFragmentBytes = configuration.maxFragmentBytes
        let parameters = try selection.inputs.map { try source.codecParameters(of: $0.index) }
        muxer = try FragmentedMP4Muxer(tracks: zip(parameters, selection.inputs).map { ($0, $1.timeBase) })
        // The selection puts video first.
        taps = observers.compactMap { $0.sessionStarted(streamName: streamName, video: parameters[0]) }
    }

    /// The producer time of the session's first packet.
    private var producerBase: Int64 {
        switch timeline {
        case .firstPacketAt(let time): time
        case .streamZeroAt(let time): time + (fragmenter.origin ?? 0)
        }
    }

    /// The first fragment follows a gap in the source (a pulled camera reconnected).
    func markDiscontinuity() {
        fragmenter.markDiscontinuity()
    }

    /// Places one demuxed packet; packets of tracks that were not selected are ignored.
    func write(_ packet: Packet) throws {
        guard let track = selection.outputTrack(forInput: packet.streamIndex) else { return }
        let info = selection.inputs[track]
        let isVideo = info.kind == .video
        let placement = fragmenter.place(Fragmenter.Input(
            track: track, isVideo: isVideo, isKeyFrame: packet.isKeyFrame,
            dts: packet.dts.map(info.microseconds), pts: packet.pts.map(info.microseconds),
            duration: packet.duration > 0 ? info.microseconds(packet.duration) : 0, tick: info.tickMicroseconds,
            producerBoundary: isVideo ? producerFragments?.classify(position: packet.position) : nil))
        if let closed = placement.closed {
            try store(closed)
            // This packet begins the next fragment, which is not started.
            if stopAtBoundary() { throw StoppedAtBoundary() }
        }
        switch placement.action {
        case .drop:
            summary.droppedPackets = fragmenter.droppedPackets
            return
        case .startFragment:
            openServerStart = clock()
            openBytes = 0
        case .append:
            break
        }
        openBytes += packet.size
        guard openBytes <= maxFragmentBytes else {
            throw IngestError.malformedMedia("a fragment grew past \(maxFragmentBytes >> 20) MiB before its next key frame")
        }
        if track == 0, !taps.isEmpty {
            let zero = producerBase - (fragmenter.origin ?? 0)
            let serverTime = clock()
            // Each tap gets its own reference: they hand packets to other threads.
            for tap in taps {
                guard let copy = try? packet.reference() else { continue }
                copy.pts = zero + placement.pts
                copy.dts = zero + placement.dts
                tap.video(copy, serverTime: serverTime)
            }
        }
        packet.dts = info.streamTime(placement.dts)
        packet.pts = info.streamTime(placement.pts)
        if packet.duration <= 0 { packet.duration = max(info.streamTime(placement.duration), 0) }
        do {
            try muxer.write(packet, track: track)
        } catch {
            throw IngestError.malformedMedia("cannot store packet: \(error)")
        }
    }

    /// Stores the fragment still open at the end of input (unless the session stopped at a
    /// boundary, where nothing is open).
    func finish(storingOpenFragment: Bool = true) throws {
        defer {
            if let streamID { store.closeWriter(streamID: streamID) }
            taps.forEach { $0.sessionEnded() }
        }
        if storingOpenFragment, let last = fragmenter.finish() {
            try store(last)
        }
        muxer.close()
    }

    private func store(_ span: Fragmenter.Span) throws {
        let flushed: (initSegment: [UInt8]?, fragment: [UInt8])
        do {
            flushed = try muxer.flushFragment()
        } catch {
            throw IngestError.malformedMedia("cannot pack fragment: \(error)")
        }
        if let initBytes = flushed.initSegment { timescales = FragmentTiming.timescales(initSegment: initBytes) }
        guard !flushed.fragment.isEmpty else { return }
        // Decode times move from the session's zero onto the producer clock (µs since the epoch),
        // so that fragments of successive pushes to one stream follow each other.
        var bytes = flushed.fragment
        let base = producerBase
        let scales = timescales
        FragmentTiming.shift(&bytes) { track in FragmentTiming.ticks(base, timescale: scales[track] ?? 1_000_000) }
        do {
            let streamID = try self.streamID ?? store.createStream(named: streamName, now: clock()).stream.id
            self.streamID = streamID
            if let initBytes = flushed.initSegment {
                initID = try store.addInitSegment(streamID: streamID, bytes: initBytes,
                                                  tracks: selection.descriptions, now: clock())
            }
            guard let initID else { throw IngestError.storage("fragment without an init segment") }
            let record = try store.append(streamID: streamID, initID: initID, fragment: NewFragment(
                producerStart: producerBase + span.start, serverStart: openServerStart,
                duration: span.duration, discontinuity: span.discontinuity, bytes: bytes))
            taps.forEach { $0.fragmentStored(record) }
            summary.fragments += 1
            summary.bytesStored += record.size
            summary.firstFragmentNumber = summary.firstFragmentNumber ?? String(record.number)
            summary.lastFragmentNumber = String(record.number)
            summary.discontinuities = fragmenter.discontinuities
            summary.droppedPackets = fragmenter.droppedPackets
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError.storage("\(error)")
        }
    }
}
