import Media

/// Parameter-set NAL units (H.264 SPS/PPS, H.265 VPS/SPS/PPS) in a depacketized (length-prefixed)
/// access unit: the codec configuration of a stream whose SDP announced none and sends it in
/// band instead. Returned Annex B, the form an SDP announces them in.
enum ParameterSets {
    static func inBand(_ accessUnit: [UInt8], codec: VideoCodec) -> [UInt8] {
        let sets = NALUnits.lengthPrefixedRanges(accessUnit).filter { isParameterSet(accessUnit[$0.lowerBound], codec: codec) }
        return NALUnits.annexB(accessUnit, units: sets)
    }

    static func isParameterSet(_ header: UInt8, codec: VideoCodec) -> Bool {
        switch codec {
        case .h264: return (7...8).contains(header & 0x1F)
        case .hevc: return (32...34).contains((header >> 1) & 0x3F)
        }
    }
}
