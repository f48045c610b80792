import Media

/// One track of a clip: its raw sample entry (copied from the init segment's stsd) and the
/// sample tables gathered from the fragments, in decode order.
struct ClipTrack {
    let id: UInt32
    let kind: MP4Track.Kind
    let timescale: UInt32
    let width: Int
    let height: Int
    /// The init segment's `stsd` box, whole.
    let sampleDescription: [UInt8]
    var decodeTimes: [UInt64] = []
    var durations: [UInt32] = []
    var compositionOffsets: [Int64] = []
    var sizes: [UInt32] = []
    var syncSamples: [Int] = []
    /// Chunks in output order: where each starts in the file and how many samples it holds.
    var chunkOffsets: [UInt64] = []
    var samplesPerChunk: [Int] = []

    var sampleCount: Int { sizes.count }

    /// Durations from one decode time to the next, so that a gap between fragments lengthens the
    /// sample before it and the tracks stay in step; the last keeps its own.
    var timelineDurations: [UInt32] {
        guard !decodeTimes.isEmpty else { return [] }
        var out: [UInt32] = []
        out.reserveCapacity(decodeTimes.count)
        for index in decodeTimes.indices.dropLast() {
            let step = decodeTimes[index + 1].subtractingReportingOverflow(decodeTimes[index])
            out.append(step.overflow ? durations[index] : UInt32(clamping: step.partialValue))
        }
        out.append(durations[durations.count - 1])
        return out
    }

    var totalDuration: UInt64 { timelineDurations.reduce(UInt64(0)) { $0.addingReportingOverflow(UInt64($1)).partialValue } }

    /// The tracks of an init segment with their sample descriptions; tracks without one are left out.
    static func tracks(initSegment bytes: [UInt8]) -> [ClipTrack] {
        let known = MP4Track.tracks(initSegment: bytes)
        guard let moov = MP4Boxes.topLevel(bytes).first(where: { $0.type == "moov" }) else { return [] }
        var out: [ClipTrack] = []
        for trak in MP4Boxes.children(of: moov, in: bytes) where trak.type == "trak" {
            guard let tkhd = descendant(trak, ["tkhd"], bytes), let stsd = descendant(trak, ["mdia", "minf", "stbl", "stsd"], bytes)
            else { continue }
            // tkhd: version, flags, two times (4 or 8 bytes each), then the track ID.
            var reader = ByteReader(bytes, from: tkhd.offset + 8, to: tkhd.offset + tkhd.size)
            guard let version = reader.u8(), reader.skip(3), reader.skip(version == 1 ? 16 : 8), let id = reader.u32(),
                  let track = known.first(where: { $0.id == id }) else { continue }
            out.append(ClipTrack(id: track.id, kind: track.kind, timescale: track.timescale, width: track.width,
                                 height: track.height, sampleDescription: Array(bytes[stsd.offset..<(stsd.offset + stsd.size)])))
        }
        return out
    }

    private static func descendant(_ box: MP4Boxes.Box, _ path: [String], _ bytes: [UInt8]) -> MP4Boxes.Box? {
        var current = box
        for type in path {
            guard let next = MP4Boxes.children(of: current, in: bytes).first(where: { $0.type == type }) else { return nil }
            current = next
        }
        return current
    }
}

extension ClipTrack {
    mutating func append(_ sample: MP4Sample) {
        if sample.isSync { syncSamples.append(sizes.count + 1) }
        decodeTimes.append(sample.decodeTime)
        durations.append(sample.duration)
        compositionOffsets.append(sample.compositionOffset)
        sizes.append(UInt32(sample.range.count))
    }

    /// Seconds from the clip's earliest track start to this track's first decode time.
    func startSeconds() -> Double {
        Double(decodeTimes.first ?? 0) / Double(timescale)
    }

    /// Run-length pairs of equal consecutive values.
    static func runs<T: Equatable>(_ values: [T]) -> [(count: UInt32, value: T)] {
        var out: [(count: UInt32, value: T)] = []
        for value in values {
            if let last = out.last, last.value == value {
                out[out.count - 1].count += 1
            } else {
                out.append((1, value))
            }
        }
        return out
    }
}
