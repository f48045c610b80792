import Media

/// Parameter-set NAL units (H.264 SPS/PPS, H.265 VPS/SPS/PPS) in an Annex B access unit: the
/// codec configuration of a stream whose SDP announced none and sends it in band instead.
enum ParameterSets {
    static func inBand(_ accessUnit: [UInt8], codec: VideoCodec) -> [UInt8] {
        var out: [UInt8] = []
        for range in nalRanges(accessUnit) where isParameterSet(accessUnit[range.lowerBound], codec: codec) {
            out += [0, 0, 0, 1]
            out += accessUnit[range]
        }
        return out
    }

    static func isParameterSet(_ header: UInt8, codec: VideoCodec) -> Bool {
        switch codec {
        case .h264: return (7...8).contains(header & 0x1F)
        case .hevc: return (32...34).contains((header >> 1) & 0x3F)
        }
    }

    /// The byte ranges of the NAL units between start codes (00 00 01 or 00 00 00 01).
    static func nalRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var starts: [(code: Int, body: Int)] = []
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0, bytes[i + 1] == 0, bytes[i + 2] == 1 {
                let code = i > 0 && bytes[i - 1] == 0 ? i - 1 : i
                starts.append((code, i + 3))
                i += 3
            } else {
                i += 1
            }
        }
        return starts.indices.compactMap { k in
            let end = k + 1 < starts.count ? starts[k + 1].code : bytes.count
            return starts[k].body < end ? starts[k].body..<end : nil
        }
    }
}
