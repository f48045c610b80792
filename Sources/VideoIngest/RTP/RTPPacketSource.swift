import Media

/// Access units from an RTSP push as packets for the fragment writer, with no container in
/// between: the RTSP connection queues frames, the ingest thread reads them here. Codec
/// parameters come from the SDP plus one decoded key frame (picture size, reorder delay); decode
/// times are derived from presentation times, which is all RTP carries.
final class RTPPacketSource: PacketSource, @unchecked Sendable {
    struct Track: Sendable {
        var format: RTPTrackFormat
        var clockRate: Int
    }

    /// Key frames tried for a picture size before the push is refused.
    static let probeKeyFrames = 5
    /// Audio frames (~10 s) kept behind held video frames before those are given up waiting for
    /// the frames after them: a push that stops sending video must not grow memory.
    static let maxAudioBehindVideo = 500

    let queue: BoundedQueue<TimedAccessUnit>
    /// Video first, then audio if announced.
    private let tracks: [Track]
    private var parameters: [CodecParameters] = []
    private(set) var streams: [StreamInfo] = []
    private var decodeTimes = DecodeTimestamps<TimedAccessUnit>(reorderDelay: 0)
    /// Audio that arrived while the first video frames wait for their decode times, kept in order behind them.
    private var audioBehindVideo: [TimedAccessUnit] = []
    private var ready: [Packet] = []
    private var readyIndex = 0
    let formatName = "rtp"

    init(tracks: [Track], capacity: Int) {
        self.tracks = tracks
        queue = BoundedQueue(capacity: capacity) { $0.data.count }
    }

    /// Blocks until a video key frame has been decoded to describe the tracks.
    func open() throws {
        guard case let .video(codec, announced) = tracks.first?.format else {
            throw IngestError.unsupportedCodec("an RTSP push needs a video track")
        }
        var attempts = 0
        while let unit = queue.read() {
            guard unit.track == 0, unit.isKeyFrame else { continue }
            let sets = announced.isEmpty ? ParameterSets.inBand(unit.data, codec: codec) : announced
            let annexB = NALUnits.annexB(unit.data, units: NALUnits.lengthPrefixedRanges(unit.data))
            if let video = try KeyFrameProbe.parameters(codec: codec, extradata: sets, keyFrame: annexB) {
                // Frames stay length-prefixed from here on: stored and decoded as they are.
                try describe(video: try DecoderConfigurationRecord.lengthPrefixed(video))
                try accept(unit)
                return
            }
            attempts += 1
            if attempts == Self.probeKeyFrames {
                throw IngestError.malformedMedia(
                    "the \(codec.rawValue) track has no picture size: \(attempts) key frames did not decode (missing or broken parameter sets)")
            }
        }
        throw IngestError.malformedMedia("the RTSP push ended before its first decodable video key frame")
    }

    private func describe(video: CodecParameters) throws {
        parameters = [video]
        for track in tracks.dropFirst() {
            if case let .aac(config, sampleRate, channels) = track.format {
                parameters.append(try CodecParameters.aac(config: config, sampleRate: sampleRate, channels: channels))
            }
        }
        streams = parameters.indices.map { index in
            StreamInfo(index: index, codec: parameters[index], timeBase: (1, Int32(tracks[index].clockRate)))
        }
        decodeTimes = DecodeTimestamps(reorderDelay: video.reorderDelay)
    }

    func codecParameters(of index: Int) -> CodecParameters {
        parameters[index]
    }

    func readPacket() throws -> Packet? {
        while readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard let unit = queue.read() else {
                try release(decodeTimes.flush())
                if ready.isEmpty { return nil }
                break
            }
            try accept(unit)
        }
        defer { readyIndex += 1 }
        return ready[readyIndex]
    }

    private func accept(_ unit: TimedAccessUnit) throws {
        guard unit.track < parameters.count else { return } // an audio track without usable parameters
        if unit.track == 0 {
            try release(decodeTimes.push(unit, pts: unit.pts))
        } else if decodeTimes.isHolding {
            audioBehindVideo.append(unit)
            if audioBehindVideo.count >= Self.maxAudioBehindVideo { try release(decodeTimes.flush()) }
        } else {
            ready.append(try packet(unit, dts: unit.pts, pts: unit.pts))
        }
    }

    private func release(_ frames: [DecodeTimestamps<TimedAccessUnit>.Timed]) throws {
        for frame in frames {
            ready.append(try packet(frame.item, dts: frame.dts, pts: frame.pts))
        }
        if !decodeTimes.isHolding && !audioBehindVideo.isEmpty {
            for unit in audioBehindVideo { ready.append(try packet(unit, dts: unit.pts, pts: unit.pts)) }
            audioBehindVideo = []
        }
    }

    private func packet(_ unit: TimedAccessUnit, dts: Int64, pts: Int64) throws -> Packet {
        let packet = try Packet(copying: unit.data)
        packet.streamIndex = unit.track
        packet.isKeyFrame = unit.isKeyFrame
        packet.pts = pts
        packet.dts = dts
        if case let .aac(_, sampleRate, _) = tracks[unit.track].format, sampleRate > 0 {
            packet.duration = Int64(1024 * tracks[unit.track].clockRate / sampleRate)
        }
        return packet
    }

    func close() {
        queue.cancel()
    }
}
