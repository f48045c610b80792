/// Writes access units from RTP as a live Matroska stream, so that RTSP ingest feeds the same
/// demux → fragment → store path as an HTTP push (one code path for every protocol). Each frame
/// goes in its own small Cluster of known size: nothing is ever patched afterwards, and a
/// cut-off stream is still readable up to its last whole frame.
struct MatroskaStreamWriter {
    struct Track {
        enum Kind { case video, audio }
        var kind: Kind
        /// "V_MPEG4/ISO/AVC", "V_MPEGH/ISO/HEVC" or "A_AAC".
        var codecID: String
        /// Annex B parameter sets (video) or the AudioSpecificConfig (AAC); empty when unknown.
        var codecPrivate: [UInt8]
        var sampleRate: Double = 0
        var channels: Int = 0
    }

    let tracks: [Track]

    /// The EBML header, an unknown-size Segment, Info (1 ms timestamps) and Tracks.
    func header() -> [UInt8] {
        var ebml: [UInt8] = []
        ebml += Self.element(0x4286, uint: 1)          // EBMLVersion
        ebml += Self.element(0x42F7, uint: 1)          // EBMLReadVersion
        ebml += Self.element(0x42F2, uint: 4)          // EBMLMaxIDLength
        ebml += Self.element(0x42F3, uint: 8)          // EBMLMaxSizeLength
        ebml += Self.element(0x4282, Array("matroska".utf8))
        ebml += Self.element(0x4287, uint: 4)          // DocTypeVersion
        ebml += Self.element(0x4285, uint: 2)          // DocTypeReadVersion
        var out = Self.element(0x1A45_DFA3, ebml)
        out += Self.id(0x1853_8067) + [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] // Segment, unknown size
        var info = Self.element(0x2AD7B1, uint: 1_000_000) // TimestampScale: 1 ms
        info += Self.element(0x4D80, Array("videod rtsp".utf8))
        info += Self.element(0x5741, Array("videod rtsp".utf8))
        out += Self.element(0x1549_A966, info)
        var entries: [UInt8] = []
        for (index, track) in tracks.enumerated() {
            var entry = Self.element(0xD7, uint: UInt64(index + 1))   // TrackNumber
            entry += Self.element(0x73C5, uint: UInt64(index + 1))    // TrackUID
            entry += Self.element(0x83, uint: track.kind == .video ? 1 : 2)
            entry += Self.element(0x9C, uint: 0)                      // FlagLacing
            entry += Self.element(0x86, Array(track.codecID.utf8))
            if !track.codecPrivate.isEmpty { entry += Self.element(0x63A2, track.codecPrivate) }
            if track.kind == .audio {
                var audio = Self.element(0xB5, double: track.sampleRate)
                audio += Self.element(0x9F, uint: UInt64(max(track.channels, 1)))
                entry += Self.element(0xE1, audio)
            }
            entries += Self.element(0xAE, entry)
        }
        out += Self.element(0x1654_AE6B, entries)
        return out
    }

    /// Appends one frame of track `index` at `milliseconds` (≥ 0) in its own Cluster to `out`
    /// (the frame is the bulk of the bytes; it is copied once).
    func appendFrame(to out: inout [UInt8], track index: Int, milliseconds: Int64, isKeyFrame: Bool, data: [UInt8]) {
        let timestamp = Self.element(0xE7, uint: UInt64(max(0, milliseconds)))
        let blockSize = 4 + data.count
        let blockSizeBytes = Self.size(blockSize)
        let clusterSize = timestamp.count + 1 + blockSizeBytes.count + blockSize
        out.reserveCapacity(out.count + clusterSize + 12)
        out += [0x1F, 0x43, 0xB6, 0x75] // Cluster
        out += Self.size(clusterSize)
        out += timestamp
        out.append(0xA3) // SimpleBlock
        out += blockSizeBytes
        out += [0x80 | UInt8(index + 1), 0, 0, isKeyFrame ? 0x80 : 0x00] // track, relative timecode 0, flags
        out += data
    }

    // MARK: EBML encoding

    static func id(_ value: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return bytes
    }

    /// A size as an EBML variable-length integer (8 bytes for anything large).
    static func size(_ value: Int) -> [UInt8] {
        for length in 1...8 where UInt64(value) < (UInt64(1) << (7 * UInt64(length))) - 1 {
            var bytes = [UInt8](repeating: 0, count: length)
            var v = UInt64(value)
            for i in stride(from: length - 1, through: 0, by: -1) {
                bytes[i] = UInt8(v & 0xFF)
                v >>= 8
            }
            bytes[0] |= UInt8(0x80 >> (length - 1))
            return bytes
        }
        return [0x01] + (0..<7).map { UInt8((UInt64(value) >> (8 * UInt64(6 - $0))) & 0xFF) }
    }

    static func element(_ id: UInt32, _ payload: [UInt8]) -> [UInt8] {
        Self.id(id) + size(payload.count) + payload
    }

    static func element(_ id: UInt32, uint value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var v = value
        repeat {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        } while v > 0
        return element(id, bytes)
    }

    static func element(_ id: UInt32, double value: Double) -> [UInt8] {
        let bits = value.bitPattern
        return element(id, (0..<8).map { UInt8((bits >> (8 * UInt64(7 - $0))) & 0xFF) })
    }
}
